package io.hawser.agent.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.api.http.HijackedConnection;
import io.hawser.agent.api.http.Json;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.exec.DetachKeys;
import io.hawser.agent.exec.ExecConfig;
import io.hawser.agent.exec.ExecInstance;
import io.hawser.agent.exec.Execs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * {@code POST /exec/{id}/start}: with {@code Detach} the command starts and the answer is an empty 200, as
 * dockerd's. Otherwise the command starts, then the connection is taken over ({@code 101 UPGRADED} for
 * {@code Upgrade: tcp}) and relayed: the client's stdin to the command (with a TTY through the detach-key
 * filter), its stdout and stderr back, multiplexed unless it has a TTY. The stream ends once the command
 * has exited and its exit code is recorded (the CLI inspects the exec right after). A client that detaches
 * (detach keys) or goes away leaves the command running; its further output is discarded.
 */
final class ExecStartHandler implements Endpoint {

    private static final Logger LOG = Logger.getLogger(ExecStartHandler.class.getName());
    /** The stdin and stderr relays: pooled, since each exec needs them for a few ms (thread start-up is on its path). */
    private static final ExecutorService PUMPS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hawser-exec-pump");
        t.setDaemon(true);
        return t;
    });

    private final Execs execs;

    ExecStartHandler(Execs execs) {
        this.execs = execs;
    }

    @Override
    public void handle(ApiCall call) throws IOException {
        ExecInstance e = execs.get(call.pathParam("id"));
        byte[] raw = call.request().body().readAllBytes();
        JsonNode body = raw.length == 0 ? null : Json.MAPPER.readTree(raw);
        boolean detach = body != null && body.path("Detach").asBoolean(false);
        ExecConfig cfg = e.config();
        boolean tty = cfg.tty();
        Process p;
        try {
            p = execs.start(e, detach);
        } catch (AgentException ex) {
            if (detach) {
                throw ex;
            }
            // dockerd hijacks first and writes a start failure into the stream (router/container/exec.go)
            HijackedConnection conn = call.exchange().hijack();
            try (conn) {
                conn.out().write(head(call, tty).getBytes(StandardCharsets.ISO_8859_1));
                byte[] msg = (ex.getMessage() + "\r\n").getBytes(StandardCharsets.UTF_8);
                new StdStreamWriter(conn.out(), !tty).write(StdStreamWriter.StdStream.STDOUT, msg, 0, msg.length);
                conn.out().flush();
            }
            return;
        }
        if (detach) {
            call.exchange().send(200, null, new byte[0]);
            return;
        }
        HijackedConnection conn = call.exchange().hijack();
        String head = head(call, tty);
        AtomicBoolean detached = new AtomicBoolean();
        Runnable afterStream = null;
        try (conn) {
            conn.out().write(head.getBytes(StandardCharsets.ISO_8859_1));
            conn.out().flush();
            if (cfg.attachStdin()) {
                DetachKeys keys = tty ? DetachKeys.parse(cfg.detachKeys()) : null;
                PUMPS.execute(() -> pumpStdin(conn, p.getOutputStream(), keys, detached));
            } else {
                p.getOutputStream().close();
            }
            StdStreamWriter out = new StdStreamWriter(conn.out(), !tty);
            Future<?> err = PUMPS.submit(() -> pump(p.getErrorStream(), out, StdStreamWriter.StdStream.STDERR,
                    cfg.attachStderr(), detached));
            pump(p.getInputStream(), out, StdStreamWriter.StdStream.STDOUT, cfg.attachStdout(), detached);
            err.get();
            if (!detached.get()) {
                afterStream = execs.awaitExit(e);
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ex) {
            LOG.warning("exec " + e.id() + " stderr: " + ex.getCause());
        }
        if (afterStream != null) {
            afterStream.run(); // the client has its end of stream and the recorded exit code
        }
    }

    private static String head(ApiCall call, boolean tty) {
        boolean upgrade = call.request().headers().hasToken("Connection", "upgrade");
        String contentType = tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
        return upgrade
                ? "HTTP/1.1 101 UPGRADED\r\nContent-Type: " + contentType + "\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                : "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\n\r\n";
    }


    /** Copies one of the command's streams to the client; after a detach or a write error, to nowhere. */
    private static void pump(InputStream in, StdStreamWriter out, StdStreamWriter.StdStream stream, boolean attached,
            AtomicBoolean detached) {
        byte[] buf = new byte[32 * 1024];
        boolean sending = attached;
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                if (!sending || detached.get()) {
                    continue;
                }
                try {
                    synchronized (out) {
                        out.write(stream, buf, 0, n);
                        out.flush();
                    }
                } catch (IOException gone) {
                    sending = false; // keep reading: a command blocked on a full pipe would never end
                }
            }
        } catch (IOException ex) {
            LOG.fine("exec " + stream + " ended: " + ex.getMessage());
        }
    }

    private static void pumpStdin(HijackedConnection conn, OutputStream stdin, DetachKeys keys, AtomicBoolean detached) {
        byte[] buf = new byte[32 * 1024];
        ByteArrayOutputStream pass = new ByteArrayOutputStream();
        try (stdin) {
            for (int n; (n = conn.in().read(buf)) >= 0; ) {
                if (keys == null) {
                    stdin.write(buf, 0, n);
                } else {
                    pass.reset();
                    boolean detach = keys.filter(buf, n, pass);
                    pass.writeTo(stdin);
                    if (detach) {
                        detached.set(true);
                        conn.close(); // the client is gone; the command goes on (dockerd: "detach")
                        stdin.flush();
                        return;
                    }
                }
                stdin.flush();
            }
        } catch (IOException ex) {
            LOG.fine("exec stdin ended: " + ex.getMessage());
        }
    }
}
