package io.hawser.console.containers.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.html.DescriptionList;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.hawser.console.containers.ContainerDetails;
import io.hawser.console.containers.ContainerRef;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Inspect made readable: state, image, command, times, restart policy, ports, mounts, env (secrets masked), labels. */
class OverviewPanel extends VerticalLayout {

    /** Env keys whose values are not shown: they look like credentials. */
    static final Pattern SECRET_KEY = Pattern.compile("(?i).*(PASSWORD|PASSWD|SECRET|TOKEN|KEY|CREDENTIAL).*");
    static final String MASK = "••••••••";

    private final ContainerDetails details;
    private final ContainerRef ref;

    OverviewPanel(ContainerDetails details, ContainerRef ref) {
        this.details = details;
        this.ref = ref;
        setId("overview");
        setPadding(false);
        addAttachListener(e -> load());
    }

    private void load() {
        removeAll();
        JsonNode inspect;
        try {
            inspect = details.inspect(ref);
        } catch (RuntimeException e) {
            add(Problems.text(e));
            return;
        }
        JsonNode state = inspect.path("State");
        JsonNode config = inspect.path("Config");
        JsonNode host = inspect.path("HostConfig");
        List<String[]> rows = new ArrayList<>();
        rows.add(row("State", state.path("Status").asText() + (state.path("Running").asBoolean() ? " (pid "
                + state.path("Pid").asText() + ")" : " (exit code " + state.path("ExitCode").asText() + ")")
                + (state.path("OOMKilled").asBoolean() ? ", OOM killed" : "")));
        rows.add(row("Image", config.path("Image").asText() + "  " + inspect.path("Image").asText()));
        rows.add(row("Command", join(config.path("Entrypoint")) + " " + join(config.path("Cmd"))));
        rows.add(row("Created", inspect.path("Created").asText()));
        rows.add(row("Started", state.path("StartedAt").asText()));
        rows.add(row("Finished", state.path("FinishedAt").asText()));
        JsonNode restart = host.path("RestartPolicy");
        rows.add(row("Restart policy", restart.path("Name").asText("no")
                + (restart.path("MaximumRetryCount").asInt() > 0 ? ":" + restart.path("MaximumRetryCount").asInt() : "")));
        rows.add(row("Limits", "memory " + (host.path("Memory").asLong() == 0 ? "none" : Sizes.bytes(host.path("Memory").asLong()))
                + ", CPUs " + (host.path("NanoCpus").asLong() == 0 ? "any" : host.path("NanoCpus").asLong() / 1e9)));
        add(facts(rows));

        add(new H4("Network"));
        List<String[]> net = new ArrayList<>();
        net.add(row("Mode", host.path("NetworkMode").asText()));
        for (Iterator<Map.Entry<String, JsonNode>> it = inspect.path("NetworkSettings").path("Networks").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> n = it.next();
            net.add(row(n.getKey(), n.getValue().path("IPAddress").asText("") + " " + n.getValue().path("MacAddress").asText("")));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = inspect.path("NetworkSettings").path("Ports").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            List<String> bound = new ArrayList<>();
            p.getValue().forEach(b -> bound.add(b.path("HostIp").asText() + ":" + b.path("HostPort").asText()));
            net.add(row("Port " + p.getKey(), bound.isEmpty() ? "not published" : String.join(", ", bound)));
        }
        add(facts(net));

        add(new H4("Mounts"));
        List<String[]> mounts = new ArrayList<>();
        for (JsonNode m : inspect.path("Mounts")) {
            mounts.add(row(m.path("Destination").asText(), m.path("Type").asText() + " " + m.path("Source").asText()
                    + (m.path("Name").isMissingNode() ? "" : " (" + m.path("Name").asText() + ")")
                    + (m.path("RW").asBoolean(true) ? "" : ", read-only")));
        }
        add(mounts.isEmpty() ? new Span("none") : facts(mounts));

        add(new H4("Environment"));
        List<String[]> env = new ArrayList<>();
        for (JsonNode e : config.path("Env")) {
            String s = e.asText();
            int eq = s.indexOf('=');
            String key = eq < 0 ? s : s.substring(0, eq);
            env.add(row(key, eq < 0 ? "" : SECRET_KEY.matcher(key).matches() ? MASK : s.substring(eq + 1)));
        }
        add(env.isEmpty() ? new Span("none") : facts(env));

        add(new H4("Labels"));
        List<String[]> labels = new ArrayList<>();
        config.path("Labels").fields().forEachRemaining(l -> labels.add(row(l.getKey(), l.getValue().asText())));
        add(labels.isEmpty() ? new Span("none") : facts(labels));

        Pre raw = new Pre(masked(inspect).toPrettyString());
        raw.addClassName("raw-json");
        Details rawDetails = new Details("Raw inspect (JSON)", raw);
        rawDetails.setId("overview-raw");
        add(rawDetails);
    }

    /** The inspect document with the values of secret-looking env keys masked as in the table. */
    static JsonNode masked(JsonNode inspect) {
        JsonNode copy = inspect.deepCopy();
        if (copy.path("Config").path("Env") instanceof ArrayNode env) {
            for (int i = 0; i < env.size(); i++) {
                String s = env.get(i).asText();
                int eq = s.indexOf('=');
                if (eq > 0 && SECRET_KEY.matcher(s.substring(0, eq)).matches()) {
                    env.set(i, ((ObjectNode) copy).textNode(s.substring(0, eq + 1) + MASK));
                }
            }
        }
        return copy;
    }

    private static DescriptionList facts(List<String[]> rows) {
        DescriptionList list = new DescriptionList();
        list.addClassName("facts");
        for (String[] r : rows) {
            Span value = new Span(r[1]);
            if (MASK.equals(r[1])) {
                value.addClassName("masked");
            }
            list.add(new DescriptionList.Term(r[0]), new DescriptionList.Description(value));
        }
        return list;
    }

    private static String[] row(String key, String value) {
        return new String[] {key, value};
    }

    private static String join(JsonNode array) {
        List<String> words = new ArrayList<>();
        array.forEach(w -> words.add(w.asText()));
        return String.join(" ", words);
    }
}
