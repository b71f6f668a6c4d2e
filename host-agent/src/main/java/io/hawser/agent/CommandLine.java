package io.hawser.agent;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Parses {@code hawser-agent [--data-root DIR] [--socket PATH] [--help]}; both {@code --flag value} and {@code --flag=value}. */
final class CommandLine {

    static final String USAGE = """
            Usage: java -jar hawser-agent.jar [OPTIONS]

            Hawser host agent: runs containers on this host and serves the Docker Engine API.

            Options:
                  --data-root DIR   where state and the hawser-shim binary live (default %s)
                  --socket PATH     unix socket of the Docker Engine API (default %s)
                  --exec-root DIR   short run directory for the containers' shim state (default %s)
                  --cgroup-parent NAME
                                    cgroup under which containers' cgroups are made (default %s)
                  --bridge-name NAME
                                    bridge of the default network, made when first needed (default %s)
                  --bridge-subnet A.B.C.D/N
                                    its subnet (default: the bridge's, else a free 172.31.N.0/24)
                  --console-url URL link to the Hawser console at URL (http:// or https://)
                  --join-token TOKEN
                                    enroll with the console once, with a token an admin created there
                                    (better: HAWSER_JOIN_TOKEN in the environment, which other users
                                    cannot read, unlike the command line)
              -h, --help            print this help and exit
            """.formatted(AgentConfig.DEFAULT_DATA_ROOT, AgentConfig.DEFAULT_SOCKET, AgentConfig.DEFAULT_EXEC_ROOT,
                    AgentConfig.DEFAULT_CGROUP_PARENT, AgentConfig.DEFAULT_BRIDGE);

    /** A command line that cannot be run; exit status 2, as for any usage error. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    /** @param config null when help was asked for */
    record Parsed(AgentConfig config, boolean help) {}

    private CommandLine() {}

    /** The environment variable that may carry the join token instead of {@code --join-token}. */
    static final String JOIN_TOKEN_ENV = "HAWSER_JOIN_TOKEN";

    static Parsed parse(String... args) throws UsageException {
        return parse(System.getenv(), args);
    }

    /**
     * As {@link #parse(String...)}, with the environment given. {@code HAWSER_JOIN_TOKEN} stands in for
     * {@code --join-token}: a process's environment is readable only by its owner and root, while its command line
     * is readable by every local user in /proc, which would let one race the agent to the one-use token.
     */
    static Parsed parse(java.util.Map<String, String> env, String... args) throws UsageException {
        Path dataRoot = AgentConfig.DEFAULT_DATA_ROOT;
        Path socket = AgentConfig.DEFAULT_SOCKET;
        Path execRoot = AgentConfig.DEFAULT_EXEC_ROOT;
        String cgroupParent = AgentConfig.DEFAULT_CGROUP_PARENT;
        URI consoleUrl = null;
        String joinToken = null;
        String bridgeName = AgentConfig.DEFAULT_BRIDGE;
        String bridgeSubnet = "";
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            switch (name) {
                case "-h", "--help" -> {
                    return new Parsed(null, true);
                }
                case "--data-root", "--socket", "--exec-root", "--run-dir", "--cgroup-parent", "--bridge-name",
                     "--bridge-subnet", "--console-url", "--join-token" -> {
                    if (value == null) {
                        if (i + 1 >= args.length) {
                            throw new UsageException("flag " + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    if (value.isBlank()) {
                        throw new UsageException("flag " + name + " needs a non-empty value");
                    }
                    switch (name) {
                        case "--data-root" -> dataRoot = Path.of(value);
                        case "--socket" -> socket = Path.of(value);
                        case "--cgroup-parent" -> cgroupParent = value;
                        case "--console-url" -> consoleUrl = consoleUrl(value);
                        case "--join-token" -> joinToken = value.strip();
                        case "--bridge-name" -> bridgeName = value;
                        case "--bridge-subnet" -> bridgeSubnet = value;
                        default -> execRoot = Path.of(value);
                    }
                }
                default -> throw new UsageException(arg.startsWith("-")
                        ? "unknown flag: " + name
                        : "unexpected argument: " + arg + " (hawser-agent takes only flags)");
            }
        }
        if (joinToken == null && env.get(JOIN_TOKEN_ENV) != null && !env.get(JOIN_TOKEN_ENV).isBlank()) {
            joinToken = env.get(JOIN_TOKEN_ENV).strip();
        }
        if (joinToken != null && consoleUrl == null) {
            throw new UsageException("flag --join-token (or " + JOIN_TOKEN_ENV + ") needs --console-url");
        }
        return new Parsed(new AgentConfig(dataRoot, socket, execRoot, cgroupParent, bridgeName, bridgeSubnet,
                consoleUrl, joinToken), false);
    }

    private static URI consoleUrl(String value) throws UsageException {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new UsageException("flag --console-url needs an http:// or https:// URL, got " + value);
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException("flag --console-url: " + e.getMessage());
        }
    }
}
