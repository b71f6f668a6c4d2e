package io.hawser.console.containers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What to run, as the "Run container" form and {@code POST /api/containers/{hostId}} take it, in the docker CLI's
 * notation: ports {@code [ip:]host:container[/udp]}, volumes {@code host-path-or-name:container-path[:ro]}, env
 * {@code KEY=value}, memory {@code 256m}, CPUs {@code 0.5}, restart policy {@code no|always|unless-stopped|
 * on-failure[:N]}. {@link #toCreateBody()} checks every field and answers the Engine API's create body; a bad field
 * is an {@link IllegalArgumentException} naming it.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerCreate">
 *      Engine API: ContainerCreate</a>
 */
public record RunSpec(String image, String name, List<String> cmd, List<String> env, List<String> ports,
                      List<String> volumes, String memory, Double cpus, String restartPolicy) {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** dockerd's container name rule (daemon/names: validContainerNamePattern). */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    private static final Pattern ENV_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PORT = Pattern.compile(
            "(?:(?<ip>\\d{1,3}(?:\\.\\d{1,3}){3}):)?(?<host>\\d{0,5}):(?<container>\\d{1,5})(?:/(?<proto>tcp|udp))?");
    private static final Pattern VOLUME_NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final Pattern MEMORY = Pattern.compile("(\\d+)([bkmg]?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern RESTART = Pattern.compile("(no|always|unless-stopped|on-failure)(?::(\\d{1,4}))?");

    public RunSpec {
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        ports = ports == null ? List.of() : List.copyOf(ports);
        volumes = volumes == null ? List.of() : List.copyOf(volumes);
    }

    /** The Engine API's create body; throws for the first field that is not valid. */
    public ObjectNode toCreateBody() {
        ObjectNode body = JSON.createObjectNode();
        if (image == null || image.isBlank() || image.length() > 512 || image.strip().chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("image: give an image reference such as busybox:latest");
        }
        body.put("Image", image.strip());
        if (name != null && !name.isBlank() && !NAME.matcher(name.strip()).matches()) {
            throw new IllegalArgumentException("name: " + name.strip() + " is not a valid container name "
                    + "(letters, digits, _ . -, at least two characters, not starting with _ . -)");
        }
        if (!cmd.isEmpty()) {
            ArrayNode c = body.putArray("Cmd");
            cmd.forEach(c::add);
        }
        ArrayNode envs = body.putArray("Env");
        for (String e : env) {
            int eq = e == null ? -1 : e.indexOf('=');
            if (eq <= 0 || !ENV_KEY.matcher(e.substring(0, eq)).matches()) {
                throw new IllegalArgumentException("env: expected KEY=value, got " + keyOf(e));
            }
            envs.add(e);
        }
        ObjectNode host = body.putObject("HostConfig");
        ObjectNode exposed = body.putObject("ExposedPorts");
        ObjectNode bindings = host.putObject("PortBindings");
        for (String p : ports) {
            Matcher m = PORT.matcher(p == null ? "" : p.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("ports: expected [ip:]host:container[/udp], got " + p);
            }
            int containerPort = port(m.group("container"), p, false);
            String hostPort = m.group("host");
            if (!hostPort.isEmpty()) {
                port(hostPort, p, true);
            }
            String key = containerPort + "/" + (m.group("proto") == null ? "tcp" : m.group("proto"));
            exposed.putObject(key);
            ArrayNode list = bindings.has(key) ? (ArrayNode) bindings.get(key) : bindings.putArray(key);
            list.addObject().put("HostIp", m.group("ip") == null ? "" : m.group("ip")).put("HostPort", hostPort);
        }
        ArrayNode binds = host.putArray("Binds");
        for (String v : volumes) {
            binds.add(volume(v));
        }
        if (memory != null && !memory.isBlank()) {
            host.put("Memory", memoryBytes(memory.strip()));
        }
        if (cpus != null) {
            if (!(cpus > 0 && cpus <= 1024)) {
                throw new IllegalArgumentException("cpus: expected a number above 0, such as 0.5, got " + cpus);
            }
            host.put("NanoCpus", Math.round(cpus * 1e9));
        }
        String policy = restartPolicy == null || restartPolicy.isBlank() ? "no" : restartPolicy.strip();
        Matcher r = RESTART.matcher(policy);
        if (!r.matches() || r.group(2) != null && !"on-failure".equals(r.group(1))) {
            throw new IllegalArgumentException("restart policy: expected no, always, unless-stopped or on-failure[:N], got "
                    + policy);
        }
        ObjectNode restart = host.putObject("RestartPolicy").put("Name", r.group(1));
        if (r.group(2) != null) {
            restart.put("MaximumRetryCount", Integer.parseInt(r.group(2)));
        }
        return body;
    }

    /** The container name for {@code ?name=}, or null for one the agent makes up. */
    public String nameOrNull() {
        return name == null || name.isBlank() ? null : name.strip();
    }

    /** What the audit log keeps: the fields without env values (they may be secrets). */
    public String auditDetails() {
        List<String> keys = new ArrayList<>();
        env.forEach(e -> keys.add(keyOf(e)));
        return "image=" + image + " name=" + (nameOrNull() == null ? "" : nameOrNull()) + " cmd=" + cmd
                + " env-keys=" + keys + " ports=" + ports + " volumes=" + volumes + " memory=" + (memory == null ? "" : memory)
                + " cpus=" + (cpus == null ? "" : cpus) + " restart=" + (restartPolicy == null ? "" : restartPolicy);
    }

    private static String keyOf(String env) {
        if (env == null) {
            return "null";
        }
        int eq = env.indexOf('=');
        return eq < 0 ? env : env.substring(0, eq) + "=…";
    }

    private static int port(String digits, String spec, boolean hostSide) {
        int n = Integer.parseInt(digits);
        if (n < (hostSide ? 0 : 1) || n > 65535) {
            throw new IllegalArgumentException("ports: " + n + " is not a port number (1-65535) in " + spec);
        }
        return n;
    }

    private static String volume(String v) {
        String[] parts = v == null ? new String[0] : v.strip().split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new IllegalArgumentException("volumes: expected host-path-or-name:container-path[:ro], got " + v);
        }
        String source = parts[0];
        String target = parts[1];
        if (!(source.startsWith("/") || VOLUME_NAME.matcher(source).matches())) {
            throw new IllegalArgumentException("volumes: " + source + " is neither an absolute path nor a volume name");
        }
        if (!target.startsWith("/") || target.contains("..")) {
            throw new IllegalArgumentException("volumes: the container path must be absolute, got " + target);
        }
        if (parts.length == 3 && !parts[2].equals("ro") && !parts[2].equals("rw")) {
            throw new IllegalArgumentException("volumes: the mode must be ro or rw, got " + parts[2]);
        }
        return String.join(":", parts);
    }

    /** {@code 64m}, {@code 1g}, {@code 512k}, {@code 1048576}: docker's units (binary multiples). */
    static long memoryBytes(String s) {
        Matcher m = MEMORY.matcher(s);
        if (!m.matches() || m.group(1).length() > 12) {
            throw new IllegalArgumentException("memory: expected a size such as 256m or 1g, got " + s);
        }
        long n = Long.parseLong(m.group(1));
        long bytes = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> n << 10;
            case "m" -> n << 20;
            case "g" -> n << 30;
            default -> n;
        };
        if (bytes < 6L << 20) {
            throw new IllegalArgumentException("memory: the minimum is 6m, as dockerd's, got " + s);
        }
        return bytes;
    }

    /** Splits a command line as a shell would split words: blanks separate, single and double quotes group. */
    public static List<String> splitCommand(String line) {
        List<String> words = new ArrayList<>();
        if (line == null) {
            return words;
        }
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c == '\\' && i + 1 < line.length() ? line.charAt(++i) : c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("command: a quote is not closed");
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
