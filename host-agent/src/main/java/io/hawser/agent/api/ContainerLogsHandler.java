package io.hawser.agent.api;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.logs.ContainerLogs;
import io.hawser.agent.logs.JsonFileLogReader;
import io.hawser.agent.logs.JsonLogLine;
import io.hawser.agent.logs.LogEntry;
import io.hawser.agent.logs.LogReadOptions;
import io.hawser.agent.logs.LogSource;
import io.hawser.agent.logs.LogStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /containers/{id}/logs?stdout&stderr&since&until&timestamps&tail&follow}, as dockerd answers it
 * (api/server/router/container/container_routes.go, getContainersLogs; daemon/logs.go): streams checked
 * first; the body multiplexed with {@link StdStreamWriter} unless the container has a TTY; Content-Type
 * {@code application/vnd.docker.multiplexed-stream} from API 1.42 for non-TTY containers, otherwise
 * {@code application/vnd.docker.raw-stream}; {@code tail} that is not a number means all; follow only
 * while the container runs; with timestamps each entry starts with its time (9 fraction digits) and a space.
 */
public final class ContainerLogsHandler implements Endpoint {

    private static final ApiVersion MULTIPLEXED_CONTENT_TYPE_SINCE = new ApiVersion(1, 42);

    private final ContainerLogs containers;
    private final Clock clock;

    public ContainerLogsHandler(ContainerLogs containers) {
        this(containers, Clock.systemUTC());
    }

    ContainerLogsHandler(ContainerLogs containers, Clock clock) {
        this.containers = containers;
        this.clock = clock;
    }

    @Override
    public void handle(ApiCall call) throws IOException {
        boolean stdout = call.queryFlag("stdout");
        boolean stderr = call.queryFlag("stderr");
        if (!stdout && !stderr) {
            throw AgentException.invalidArgument("Bad parameters: you must choose at least one stream");
        }
        String id = call.pathParam("id");
        LogSource source = containers.find(id).orElseThrow(() -> AgentException.notFound("No such container: " + id));
        Instant now = clock.instant();
        Instant since = QueryParams.time("since", call.request().queryParam("since"), now);
        Instant until = QueryParams.time("until", call.request().queryParam("until"), now);
        if (since != null && since.getEpochSecond() == 0 && since.getNano() == 0) {
            since = null; // the CLI sends since=0 for none
        }
        boolean timestamps = call.queryFlag("timestamps");
        boolean follow = call.queryFlag("follow") && source.running();
        LogReadOptions options = new LogReadOptions(stdout, stderr, since, until, tail(call.request().queryParam("tail")), follow);

        boolean tty = source.tty();
        String contentType = !tty && call.version().isAtLeast(MULTIPLEXED_CONTENT_TYPE_SINCE)
                ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream";
        AtomicBoolean gone = new AtomicBoolean();
        if (follow) { // before the head, so that it says Connection: close
            call.exchange().onClientGone(() -> gone.set(true));
        }
        var out = call.exchange().sendChunked(200, contentType);
        out.flush();
        StdStreamWriter writer = new StdStreamWriter(out, !tty);
        try {
            new JsonFileLogReader(source.logFile()).read(options, new JsonFileLogReader.LogConsumer() {
                @Override
                public void entry(LogEntry e) throws IOException {
                    byte[] text = e.text();
                    if (timestamps) {
                        byte[] prefix = (JsonLogLine.formatFixed(e.time()) + " ").getBytes(StandardCharsets.US_ASCII);
                        byte[] framed = new byte[prefix.length + text.length];
                        System.arraycopy(prefix, 0, framed, 0, prefix.length);
                        System.arraycopy(text, 0, framed, prefix.length, text.length);
                        text = framed;
                    }
                    writer.write(e.stream() == LogStream.STDOUT ? StdStreamWriter.StdStream.STDOUT : StdStreamWriter.StdStream.STDERR,
                            text, 0, text.length);
                }

                @Override
                public void idle() throws IOException {
                    writer.flush();
                }
            }, source::running, gone::get);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.flush();
    }

    /** dockerd: a tail that does not parse as a number is "all". */
    static int tail(String value) {
        if (value == null) {
            return -1;
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n < 0 ? -1 : n;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
