package io.hawser.agent.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.api.http.Json;
import io.hawser.agent.build.BuildOutput;
import io.hawser.agent.build.BuildRequest;
import io.hawser.agent.build.Builder;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.image.ImageReference;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /build} (the classic builder; {@code DOCKER_BUILDKIT=0 docker build}): the body is the context
 * tar, the answer dockerd's jsonmessage stream ({@code {"stream":"Step 1/3 : FROM bb:1\n"}}, {@code {"aux":{"ID":...}}},
 * a failure once output has started as {@code {"errorDetail":{"message":...},"error":...}}); a failure before
 * any output (a parse error) is a plain error response, as dockerd's postBuild. With {@code q} only the
 * image id is streamed.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Image/operation/ImageBuild">ImageBuild</a>
 */
public final class BuildHandler implements Endpoint {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Builder builder;

    public BuildHandler(Builder builder) {
        this.builder = builder;
    }

    /** Registers {@code POST /build}. */
    public static EngineApi.Builder register(EngineApi.Builder routes, Builder builder) {
        return routes.route("POST", "/build", new BuildHandler(builder));
    }

    @Override
    public void handle(ApiCall call) throws IOException {
        var q = call.request();
        List<ImageReference> tags = new ArrayList<>();
        for (String t : q.query().getOrDefault("t", List.of())) {
            if (!t.isEmpty()) {
                tags.add(ImageReference.parse(t));
            }
        }
        String rm = q.queryParam("rm");
        boolean quiet = call.queryFlag("q");
        BuildRequest request = new BuildRequest(tags, q.queryParam("dockerfile"), jsonMap(q.queryParam("buildargs"), "buildargs"),
                call.queryFlag("nocache"), rm == null || rm.isEmpty() || call.queryFlag("rm"), call.queryFlag("forcerm"),
                jsonMap(q.queryParam("labels"), "labels"), quiet, q.queryParam("target"), q.queryParam("networkmode"));
        OutputStream[] out = new OutputStream[1];
        BuildOutput progress = new BuildOutput() {
            @Override
            public void stream(String text) {
                if (!quiet) {
                    write(call, out, Map.of("stream", text));
                }
            }

            @Override
            public void aux(String imageId) {
                write(call, out, Map.of("aux", Map.of("ID", imageId)));
                if (quiet) {
                    write(call, out, Map.of("stream", imageId + "\n"));
                }
            }
        };
        try {
            builder.build(request, q.body(), progress);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.system("the build was interrupted");
        } catch (AgentException | IOException e) {
            if (out[0] == null) {
                throw e;
            }
            String message = String.valueOf(e.getMessage());
            write(call, out, Map.of("errorDetail", Map.of("message", message), "error", message));
        }
        if (out[0] == null) {
            out[0] = call.exchange().sendChunked(200, "application/json");
        }
        out[0].close();
    }

    private static void write(ApiCall call, OutputStream[] out, Object message) {
        try {
            if (out[0] == null) {
                out[0] = call.exchange().sendChunked(200, "application/json");
            }
            out[0].write(Json.bytes(message));
            out[0].write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out[0].flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code buildargs} and {@code labels}: a JSON object of strings (a build arg's value may be null). */
    private static Map<String, String> jsonMap(String value, String name) {
        if (value == null || value.isEmpty()) {
            return Map.of();
        }
        try {
            return JSON.readValue(value, new TypeReference<java.util.LinkedHashMap<String, String>>() {});
        } catch (IOException e) {
            throw AgentException.invalidArgument("invalid " + name + ": " + e.getMessage());
        }
    }
}
