package io.hawser.agent.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.container.Containers;
import io.hawser.agent.image.Image;
import io.hawser.agent.image.ImageConfig;
import io.hawser.agent.image.ImageReference;
import io.hawser.agent.image.ImageStore;
import io.hawser.agent.sys.FileSyscalls;
import io.hawser.agent.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code docker build} with the classic builder (moby builder/dockerfile, 20.10): the Dockerfile's stages run
 * one instruction at a time, each making an image on the previous one ({@link ImageStore#addChild}), with
 * dockerd's progress text ("Step 2/7 : ...", " ---> Using cache", "Successfully built ...") and its layer
 * cache ({@link BuildCache}). Work directories live under {@code <data-root>/build/tmp/} (0700) and are
 * removed after every build.
 */
public final class Builder {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageStore images;
    private final FileSyscalls fs;
    private final Syscalls sys;
    private final Path tmp;
    private final BuildCache cache;
    private final RunStep runStep;
    private final CopyStep copyStep;

    public Builder(Path dataRoot, ImageStore images, Containers containers, FileSyscalls fs, Syscalls sys) {
        this.images = images;
        this.fs = fs;
        this.sys = sys;
        try {
            Path root = Files.createDirectories(dataRoot.resolve("build"));
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx------"));
            this.tmp = Files.createDirectories(root.resolve("tmp"));
            this.cache = new BuildCache(root.resolve("cache"), images);
        } catch (IOException e) {
            throw AgentException.system("create " + dataRoot.resolve("build"), e);
        }
        this.runStep = new RunStep(containers);
        this.copyStep = new CopyStep(fs, sys);
    }

    /** Runs the build; returns the final image (tagged with every {@code t}). Failures are AgentExceptions. */
    public Image build(BuildRequest request, InputStream context, BuildOutput out) throws IOException, InterruptedException {
        Path work = Files.createTempDirectory(tmp, "b-");
        try {
            BuildContext ctx = BuildContext.unpack(context, Files.createDirectory(work.resolve("context")), request.dockerfile());
            return new Run(request, ctx, work, out).run();
        } finally {
            deleteTree(work);
        }
    }

    /** One build's state. */
    private final class Run {
        final BuildRequest request;
        final BuildContext ctx;
        final Path work;
        final BuildOutput out;
        final Map<String, String> metaArgs = new LinkedHashMap<>();
        final Set<String> consumed = new LinkedHashSet<>();
        final List<Stage> stages = new ArrayList<>();
        int step;
        int total;
        int scratch;

        Run(BuildRequest request, BuildContext ctx, Path work, BuildOutput out) {
            this.request = request;
            this.ctx = ctx;
            this.work = work;
            this.out = out;
        }

        Image run() throws IOException, InterruptedException {
            List<Instruction> all = new ArrayList<>(DockerfileParser.parse(ctx.dockerfile()));
            if (all.isEmpty()) {
                throw AgentException.invalidArgument("the Dockerfile (" + name() + ") cannot be empty");
            }
            int first = 0;
            while (first < all.size() && all.get(first).keyword().equals("ARG")) {
                first++;
            }
            if (first == all.size() || !all.get(first).keyword().equals("FROM")) {
                Instruction bad = all.get(Math.min(first, all.size() - 1));
                throw DockerfileParser.error(bad.line(), "no build stage in current context");
            }
            List<Instruction> used = cutAtTarget(all, first);
            if (!request.labels().isEmpty()) {
                StringBuilder label = new StringBuilder("LABEL");
                request.labels().forEach((k, v) -> label.append(' ').append(quote(k)).append('=').append(quote(v)));
                used.add(DockerfileParser.instruction(used.get(used.size() - 1).line(), label.toString()));
            }
            total = used.size();
            Stage st = null;
            for (Instruction ins : used) {
                out.stream("Step " + ++step + "/" + total + " : " + ins.original() + "\n");
                if (st == null && ins.keyword().equals("ARG")) {
                    metaArg(ins);
                    continue;
                }
                if (ins.keyword().equals("FROM")) {
                    st = from(ins);
                    continue;
                }
                dispatch(st, ins);
            }
            if (st.imageId == null) {
                throw AgentException.invalidArgument("No image was generated. Is your Dockerfile empty?");
            }
            Set<String> unused = new LinkedHashSet<>(request.buildArgs().keySet());
            unused.removeAll(consumed);
            if (!unused.isEmpty()) {
                out.stream("[Warning] One or more build-args " + unused + " were not consumed\n");
            }
            Image image = images.get(st.imageId);
            out.aux(image.id().toString());
            out.stream("Successfully built " + image.id().shortId() + "\n");
            for (ImageReference tag : request.tags()) {
                images.tag(image.id(), tag);
                out.stream("Successfully tagged " + tag.withDefaultTag().familiarString() + "\n");
            }
            return image;
        }

        /** The instructions up to the end of the target stage (all when no target). */
        List<Instruction> cutAtTarget(List<Instruction> all, int first) {
            if (request.target() == null || request.target().isEmpty()) {
                return all;
            }
            for (int i = first; i < all.size(); i++) {
                if (all.get(i).keyword().equals("FROM") && request.target().equalsIgnoreCase(stageName(all.get(i)))) {
                    int end = i + 1;
                    while (end < all.size() && !all.get(end).keyword().equals("FROM")) {
                        end++;
                    }
                    return new ArrayList<>(all.subList(0, end));
                }
            }
            throw AgentException.invalidArgument("failed to reach build target " + request.target() + " in Dockerfile");
        }

        void metaArg(Instruction ins) {
            for (Map.Entry<String, String> e : argPairs(ins, metaArgs).entrySet()) {
                String v = request.buildArgs().containsKey(e.getKey()) && request.buildArgs().get(e.getKey()) != null
                        ? request.buildArgs().get(e.getKey()) : e.getValue();
                if (request.buildArgs().containsKey(e.getKey())) {
                    consumed.add(e.getKey());
                }
                metaArgs.put(e.getKey(), v);
            }
        }

        Stage from(Instruction ins) throws IOException, InterruptedException {
            List<String> words = ShellLex.words(ins.args(), withValues(metaArgs));
            if (words.size() != 1 && !(words.size() == 3 && words.get(1).equalsIgnoreCase("AS"))) {
                throw DockerfileParser.error(ins.line(), "FROM requires either one or three arguments");
            }
            String base = words.get(0);
            String name = words.size() == 3 ? words.get(2).toLowerCase(Locale.ROOT) : null;
            Stage previous = stageByName(base);
            Stage st;
            if (base.equalsIgnoreCase("scratch")) {
                st = new Stage(name, null, ImageConfig.RunConfig.EMPTY);
            } else {
                Image image = previous != null ? images.get(previous.imageId) : images.get(base);
                st = new Stage(name, image.id().toString(), image.config().config());
                out.stream(" ---> " + image.id().shortId() + "\n");
            }
            stages.add(st);
            List<String> triggers = st.config.onBuild();
            if (triggers != null && !triggers.isEmpty()) {
                st.config = new ImageConfig.RunConfig(st.config.user(), st.config.exposedPorts(), st.config.env(),
                        st.config.entrypoint(), st.config.cmd(), st.config.volumes(), st.config.workingDir(),
                        st.config.labels(), st.config.stopSignal(), null);
                out.stream("# Executing " + triggers.size() + " build trigger" + (triggers.size() == 1 ? "" : "s") + "\n");
                for (String t : triggers) {
                    dispatch(st, DockerfileParser.instruction(ins.line(), t));
                }
            }
            return st;
        }

        void dispatch(Stage st, Instruction ins) throws IOException, InterruptedException {
            switch (ins.keyword()) {
                case "ARG" -> arg(st, ins);
                case "MAINTAINER" -> {
                    st.author = ShellLex.word(ins.args(), st.env());
                    commit(st, ConfigInstructions.historyLine(ins, st.env()), st.config, null);
                }
                case "RUN" -> run(st, ins);
                case "COPY", "ADD" -> copy(st, ins);
                default -> {
                    String history = ConfigInstructions.historyLine(ins, st.env());
                    commit(st, history, ConfigInstructions.apply(st, ins), null);
                }
            }
        }

        void arg(Stage st, Instruction ins) throws IOException, InterruptedException {
            for (Map.Entry<String, String> e : argPairs(ins, st.env()).entrySet()) {
                String k = e.getKey();
                String v = e.getValue();
                if (request.buildArgs().containsKey(k)) {
                    consumed.add(k);
                    if (request.buildArgs().get(k) != null) {
                        v = request.buildArgs().get(k);
                    }
                }
                if (v == null && metaArgs.containsKey(k)) {
                    v = metaArgs.get(k);
                }
                st.args.put(k, v);
            }
            commit(st, "/bin/sh -c #(nop)  ARG " + ins.args(), st.config, null);
        }

        void run(Stage st, Instruction ins) throws IOException, InterruptedException {
            if (st.imageId == null) {
                throw AgentException.invalidArgument("RUN needs a shell: a stage FROM scratch has no /bin/sh");
            }
            List<String> cmd = RunStep.command(ins);
            String history = RunStep.historyLine(cmd, st.runArgs());
            String key = BuildCache.key(st.imageId, history, JSON.writeValueAsBytes(st.config));
            if (cached(st, key, st.config)) {
                return;
            }
            try (StepChanges changes = runStep.run(st, cmd, request, out)) {
                store(st, key, history, st.config, changes);
            }
        }

        void copy(Stage st, Instruction ins) throws IOException, InterruptedException {
            boolean add = ins.keyword().equals("ADD");
            List<String> args = ins.isJson() ? ins.json().stream().map(a -> ShellLex.word(a, st.env())).toList()
                    : ShellLex.words(ins.args(), st.env());
            if (args.size() < 2) {
                throw AgentException.invalidArgument(ins.keyword() + " requires at least two arguments, but only one was provided. Destination could not be determined.");
            }
            String raw = args.get(args.size() - 1);
            String dest = IgnorePatterns.clean(raw.startsWith("/") ? raw : st.workdir() + "/" + raw);
            if (raw.endsWith("/") || raw.equals(".") || raw.endsWith("/.")) {
                dest += dest.endsWith("/") ? "" : "/"; // moby's normalizeDest: a directory
            }
            String from = ins.flags().get("from");
            String chown = ins.flags().get("chown");
            List<Path> layers = st.imageId == null ? List.of() : images.snapshotDirs(images.get(st.imageId).id());
            ImageView view = null;
            Path sourceRoot = ctx.root();
            try {
                if (from != null) {
                    view = ImageView.mount(sys, images.snapshotDirs(fromImage(ShellLex.word(from, st.env())).id()),
                            Files.createTempDirectory(work, "from-"));
                    sourceRoot = view.root();
                }
                CopyStep.Plan plan = copyStep.prepare(sourceRoot, args.subList(0, args.size() - 1), dest, add,
                        chown == null ? null : ShellLex.word(chown, st.env()), layers);
                String history = "/bin/sh -c #(nop) " + ins.keyword() + (chown == null ? "" : " --chown=" + chown)
                        + " " + plan.checksum() + " in " + dest + " ";
                String key = BuildCache.key(st.imageId, history, JSON.writeValueAsBytes(st.config));
                if (cached(st, key, st.config)) {
                    return;
                }
                Path stepDir = Files.createTempDirectory(work, "copy-");
                Path upper = Files.createDirectory(stepDir.resolve("upper"));
                if (st.imageId == null) {
                    copyStep.apply(plan, upper, stepDir);
                } else {
                    Path merged = Files.createDirectory(stepDir.resolve("merged"));
                    Path wd = Files.createDirectory(stepDir.resolve("wd"));
                    StringBuilder lower = new StringBuilder();
                    layers.forEach(l -> lower.append(lower.length() == 0 ? "" : ":").append(l));
                    sys.mount("overlay", merged.toString(), "overlay", 0, "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + wd);
                    try {
                        copyStep.apply(plan, merged, stepDir);
                    } finally {
                        try {
                            sys.umount2(merged.toString(), 0);
                        } catch (RuntimeException e) {
                            sys.umount2(merged.toString(), Syscalls.MNT_DETACH);
                        }
                    }
                }
                store(st, key, history, st.config, new StepChanges() {
                    public Path upper() {
                        return upper;
                    }

                    public java.util.function.Predicate<String> exclude() {
                        return p -> false;
                    }

                    public void close() {}
                });
            } finally {
                if (view != null) {
                    view.close();
                }
            }
        }

        Image fromImage(String from) {
            Stage s = stageByName(from);
            if (s == null && from.matches("[0-9]+") && Integer.parseInt(from) < stages.size()) {
                s = stages.get(Integer.parseInt(from));
            }
            if (s != null) {
                if (s.imageId == null) {
                    throw AgentException.invalidArgument("COPY --from=" + from + ": the stage has no files");
                }
                return images.get(s.imageId);
            }
            return images.get(from);
        }

        boolean cached(Stage st, String key, ImageConfig.RunConfig config) throws IOException {
            if (request.noCache()) {
                return false;
            }
            var hit = cache.find(key);
            if (hit.isEmpty()) {
                return false;
            }
            st.imageId = hit.get();
            st.config = config;
            out.stream(" ---> Using cache\n ---> " + images.get(hit.get()).id().shortId() + "\n");
            return true;
        }

        void commit(Stage st, String history, ImageConfig.RunConfig config, StepChanges changes) throws IOException {
            String key = BuildCache.key(st.imageId, history, JSON.writeValueAsBytes(config));
            if (!cached(st, key, config)) {
                store(st, key, history, config, changes);
            }
        }

        void store(Stage st, String key, String history, ImageConfig.RunConfig config, StepChanges changes) throws IOException {
            Image image = images.addChild(new ImageStore.ChildImage(st.imageId, config, history, null, st.author, null),
                    changes == null ? null : changes.layer(fs));
            cache.put(key, image.id().toString());
            st.imageId = image.id().toString();
            st.config = config;
            out.stream(" ---> " + image.id().shortId() + "\n");
        }

        Stage stageByName(String name) {
            return stages.stream().filter(s -> s.name != null && s.name.equalsIgnoreCase(name)).findFirst().orElse(null);
        }

        String name() {
            return request.dockerfile() == null || request.dockerfile().isEmpty() ? "Dockerfile" : request.dockerfile();
        }
    }

    /** {@code ARG a=1 b} as name to default (null: none), expanded with {@code vars}. */
    static Map<String, String> argPairs(Instruction ins, Map<String, String> vars) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String w : ConfigInstructions.rawWords(ins.args())) {
            int eq = w.indexOf('=');
            out.put(eq < 0 ? w : w.substring(0, eq), eq < 0 ? null : ShellLex.word(w.substring(eq + 1), vars));
        }
        return out;
    }

    static String stageName(Instruction from) {
        List<String> words = ConfigInstructions.rawWords(from.args());
        return words.size() == 3 ? words.get(2) : null;
    }

    private static Map<String, String> withValues(Map<String, String> args) {
        Map<String, String> out = new LinkedHashMap<>();
        args.forEach((k, v) -> {
            if (v != null) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
