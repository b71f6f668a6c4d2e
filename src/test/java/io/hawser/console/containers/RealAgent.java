package io.hawser.console.containers;

import io.hawser.console.hosts.HostService;
import io.hawser.console.hosts.JoinToken;
import io.hawser.console.testing.AgentProcess;
import io.hawser.console.testing.SignedIn;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The real agent jar enrolled to the test console as a named, ONLINE host with a busybox image ({@link #IMAGE})
 * imported: an {@link AgentProcess} with everything of its own (data root, socket, exec root, cgroup parent, bridge) so
 * it shares nothing with other builds on this machine. {@link #close()} removes all it made, containers first, and
 * the host's row, even after a failed test.
 */
public final class RealAgent implements AutoCloseable {

    public static final Duration DEADLINE = Duration.ofSeconds(90);
    public static final String IMAGE = "detail-it:1";

    public final UUID hostId;
    public final java.nio.file.Path socket;
    private final AgentProcess process;
    private final JdbcClient jdbc;

    private RealAgent(UUID hostId, AgentProcess process, JdbcClient jdbc) {
        this.hostId = hostId;
        this.socket = process.socket();
        this.process = process;
        this.jdbc = jdbc;
    }

    /** Enrolls a fresh agent (named {@code hostName}), waits for it to be ONLINE and imports {@link #IMAGE}. */
    public static RealAgent start(String hostName, HostService hosts, JdbcClient jdbc, int consolePort) throws Exception {
        JoinToken token = SignedIn.asAdmin("it-admin", () -> hosts.createJoinToken(1, Duration.ofMinutes(30)));
        AgentProcess process = AgentProcess.create(AgentProcess.Layout.fresh("hd"), "http://127.0.0.1:" + consolePort);
        RealAgent agent = new RealAgent(null, process, jdbc);
        try {
            process.start(token.token());
            agent.await("credential stored", () -> Files.exists(process.credentialFile()));
            agent = new RealAgent(process.hostId(), process, jdbc);
            jdbc.sql("UPDATE hosts SET name = ? WHERE id = ?").params(hostName, agent.hostId).update();
            RealAgent online = agent;
            agent.await("host online", () -> "ONLINE".equals(online.status()));
            process.importBusybox(IMAGE);
            agent.await("image in the inventory", () -> jdbc.sql("SELECT count(*) FROM images WHERE host_id = ? AND ? = ANY (repo_tags)")
                    .params(online.hostId, IMAGE).query(Long.class).single() == 1);
            return agent;
        } catch (Exception | Error e) {
            try {
                agent.close();
            } catch (Exception cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** The agent process underneath (its layout, a kill, a restart). */
    public AgentProcess process() {
        return process;
    }

    /** The docker CLI against this agent's socket; its output. */
    public String docker(String... args) throws IOException, InterruptedException {
        return process.docker(args);
    }

    public String status() {
        return hostId == null ? null
                : jdbc.sql("SELECT status FROM hosts WHERE id = ?").param(hostId).query(String.class).optional().orElse(null);
    }

    public void await(String what, BooleanSupplier condition) throws Exception {
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not true after " + DEADLINE + ": " + what + "\nagent log:\n" + log());
    }

    public String log() {
        return process.log();
    }

    @Override
    public void close() throws Exception {
        UUID id = hostId != null ? hostId : process.hostId();
        try {
            process.close();
        } finally {
            if (id != null) {
                jdbc.sql("DELETE FROM hosts WHERE id = ?").param(id).update();
            }
        }
    }
}
