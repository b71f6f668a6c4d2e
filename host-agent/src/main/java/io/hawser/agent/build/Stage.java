package io.hawser.agent.build;

import io.hawser.agent.image.ImageConfig;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One build stage while it runs: the image so far (null: scratch), its config and the ARGs in scope. */
final class Stage {

    final String name;
    String imageId;
    ImageConfig.RunConfig config;
    String author;
    /** Whether this stage set CMD: ENTRYPOINT then keeps it, else resets the inherited one (dockerd's cmdSet). */
    boolean cmdSet;
    /** ARGs declared in this stage with their value (null: declared without a value). */
    final Map<String, String> args = new LinkedHashMap<>();

    Stage(String name, String imageId, ImageConfig.RunConfig config) {
        this.name = name;
        this.imageId = imageId;
        this.config = config;
    }

    /** The variables for substitution: the ARGs with a value, then the ENV, which wins over an ARG of the same name. */
    Map<String, String> env() {
        Map<String, String> env = new LinkedHashMap<>();
        args.forEach((k, v) -> {
            if (v != null) {
                env.put(k, v);
            }
        });
        env.putAll(envOfConfig(config.env()));
        return env;
    }

    /** The ARGs with a value that no ENV overrides: RUN gets them in its environment (not in the image). */
    Map<String, String> runArgs() {
        Map<String, String> env = envOfConfig(config.env());
        Map<String, String> out = new java.util.TreeMap<>();
        args.forEach((k, v) -> {
            if (v != null && !env.containsKey(k)) {
                out.put(k, v);
            }
        });
        return out;
    }

    String workdir() {
        return config.workingDir() == null || config.workingDir().isEmpty() ? "/" : config.workingDir();
    }

    static Map<String, String> envOfConfig(List<String> env) {
        Map<String, String> out = new LinkedHashMap<>();
        if (env != null) {
            for (String e : env) {
                int eq = e.indexOf('=');
                out.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
            }
        }
        return out;
    }
}
