package io.hawser.agent.api;

import io.hawser.agent.api.http.Json;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.image.ImageArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /images/get?names=a&names=b}, {@code GET /images/{name}/get} (docker save: an
 * {@code application/x-tar} body) and {@code POST /images/load} (docker load: JSON lines
 * {@code {"stream":"Loaded image: bb:1\n"}}, which the CLI prints; a failure once the stream has started is
 * a final {@code errorDetail} line, as dockerd's jsonmessage stream).
 */
final class ImageArchiveHandlers {

    private final ImageArchive archive;

    ImageArchiveHandlers(ImageArchive archive) {
        this.archive = archive;
    }

    void saveMany(ApiCall call) throws IOException {
        List<String> names = new ArrayList<>(call.request().query().getOrDefault("names", List.of()));
        names.removeIf(String::isEmpty);
        if (names.isEmpty()) {
            throw AgentException.invalidArgument("no images named: give names=IMAGE");
        }
        save(call, names);
    }

    void saveOne(ApiCall call) throws IOException {
        save(call, List.of(call.pathParam("name")));
    }

    private void save(ApiCall call, List<String> names) throws IOException {
        ImageArchive.Saver saver = archive.saver(names); // 404 before the response starts
        try (OutputStream out = call.exchange().sendChunked(200, "application/x-tar")) {
            saver.write(new java.io.BufferedOutputStream(out, 64 * 1024) {
                @Override
                public void close() throws IOException {
                    flush();
                }
            });
            out.flush();
        }
    }

    void load(ApiCall call) throws IOException {
        OutputStream[] out = new OutputStream[1];
        try {
            archive.load(call.request().body(), line -> {
                try {
                    if (out[0] == null) {
                        out[0] = call.exchange().sendChunked(200, "application/json");
                    }
                    out[0].write(Json.bytes(Map.of("stream", line)));
                    out[0].write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out[0].flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } catch (AgentException | IOException e) {
            if (out[0] == null) {
                throw e;
            }
            String message = String.valueOf(e.getMessage());
            out[0].write(Json.bytes(Map.of("errorDetail", Map.of("message", message), "error", message)));
            out[0].write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        if (out[0] == null) {
            out[0] = call.exchange().sendChunked(200, "application/json");
        }
        out[0].close();
    }
}
