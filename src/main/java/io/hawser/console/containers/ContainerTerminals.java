package io.hawser.console.containers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hawser.console.access.Access;
import io.hawser.console.access.NotVisibleException;
import io.hawser.console.access.Permission;
import io.hawser.console.audit.AuditLog;
import io.hawser.console.link.ApiResponse;
import io.hawser.console.link.HijackedStream;
import io.hawser.console.link.HostApi;
import io.hawser.console.link.HostClient;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;

/**
 * A terminal in a container, as {@code docker exec -it CONTAINER sh} opens one: {@code POST /containers/{id}/exec}
 * with a TTY, then {@code POST /exec/{id}/start} hijacked ({@code Upgrade: tcp}) through the host's link; raw bytes
 * both ways (a TTY has no stream framing). Needs CONTAINER_EXEC on the host; each opening is audited once as
 * {@code container.exec}.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Exec">Engine API: Exec</a>
 */
@Service
public class ContainerTerminals {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HostApi hostApi;
    private final Access access;
    private final AuditLog audit;

    ContainerTerminals(HostApi hostApi, Access access, AuditLog audit) {
        this.hostApi = hostApi;
        this.access = access;
        this.audit = audit;
    }

    /** An open terminal; closing it ends the connection (the shell sees its terminal hang up). */
    public static final class Session implements Closeable {
        private final HostClient host;
        private final String execId;
        private final HijackedStream stream;

        Session(HostClient host, String execId, HijackedStream stream) {
            this.host = host;
            this.execId = execId;
            this.stream = stream;
        }

        /** What the terminal prints. */
        public InputStream output() {
            return stream.input();
        }

        /** Keystrokes, as the terminal's user typed them. */
        public synchronized void write(byte[] input) throws IOException {
            stream.output().write(input);
            stream.output().flush();
        }

        /** {@code POST /exec/{id}/resize}: the terminal's new size in characters. */
        public void resize(int columns, int rows) throws IOException {
            if (columns > 0 && rows > 0 && columns < 10_000 && rows < 10_000) {
                host.request("POST", "/exec/" + execId + "/resize?h=" + rows + "&w=" + columns, null, null);
            }
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    public Session open(ContainerRef ref, List<String> command, int columns, int rows) {
        String actor = access.caller().username();
        String target = "host:" + ref.hostId() + "/container:" + ref.containerId();
        String details = "command=" + command;
        try {
            access.require(ref.hostId(), Permission.CONTAINER_EXEC);
        } catch (AccessDeniedException | NotVisibleException e) {
            audit.recordAlone(actor, null, "container.exec", target, details + ": " + e.getMessage(), AuditLog.Result.DENIED);
            throw e;
        }
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command: give the program to run, such as sh");
        }
        HijackedStream stream = null;
        try {
            HostClient host = hostApi.forHost(ref.hostId());
            ObjectNode create = JSON.createObjectNode().put("AttachStdin", true).put("AttachStdout", true)
                    .put("AttachStderr", true).put("Tty", true);
            command.forEach(create.putArray("Cmd")::add);
            create.putArray("Env").add("TERM=xterm-256color");
            ApiResponse created = host.request("POST", "/containers/" + ref.containerId() + "/exec", "application/json",
                    JSON.writeValueAsBytes(create));
            if (created.status() / 100 != 2) {
                throw ContainerDetails.agentError(created.status(), created.body());
            }
            String execId = created.json().path("Id").asText();
            ObjectNode start = JSON.createObjectNode().put("Detach", false).put("Tty", true);
            if (columns > 0 && rows > 0) {
                start.putArray("ConsoleSize").add(rows).add(columns);
            }
            stream = host.hijack("POST", "/exec/" + execId + "/start", "application/json", JSON.writeValueAsBytes(start));
            if (stream.head().status() != 101 && stream.head().status() != 200) {
                byte[] body = stream.input().readAllBytes();
                throw ContainerDetails.agentError(stream.head().status(), body);
            }
            Session session = new Session(host, execId, stream);
            session.resize(columns, rows);
            audit.recordAlone(actor, null, "container.exec", target, details + ": opened", AuditLog.Result.OK);
            return session;
        } catch (IOException e) {
            close(stream);
            audit.recordAlone(actor, null, "container.exec", target, details + ": " + e.getMessage(), AuditLog.Result.FAILED);
            throw new UncheckedIOException("terminal to the host failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(stream);
            audit.recordAlone(actor, null, "container.exec", target, details + ": " + e.getMessage(), AuditLog.Result.FAILED);
            throw e;
        }
    }

    private static void close(HijackedStream stream) {
        if (stream != null) {
            stream.close();
        }
    }
}
