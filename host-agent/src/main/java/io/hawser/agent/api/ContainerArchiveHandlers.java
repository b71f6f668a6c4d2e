package io.hawser.agent.api;

import io.hawser.agent.api.http.Json;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.container.ContainerFiles;
import io.hawser.agent.container.Containers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code docker cp} ({@code HEAD|GET|PUT /containers/{id}/archive?path=}) and {@code docker export}
 * ({@code GET /containers/{id}/export}). HEAD and GET carry the path's stat as base64 JSON in
 * {@code X-Docker-Container-Path-Stat}, which the CLI decodes to decide how to copy.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container/operation/ContainerArchiveInfo">ContainerArchiveInfo</a>
 */
final class ContainerArchiveHandlers {

    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final Containers containers;
    private final ContainerFiles files;

    ContainerArchiveHandlers(Containers containers, ContainerFiles files) {
        this.containers = containers;
        this.files = files;
    }

    void stat(ApiCall call) throws IOException {
        ContainerFiles.PathStat stat = files.stat(call.pathParam("id"), path(call));
        call.exchange().responseHeaders().set(STAT_HEADER, header(stat));
        call.exchange().send(200, null, new byte[0]);
    }

    void get(ApiCall call) throws IOException {
        OutputStream[] out = new OutputStream[1];
        try {
            files.archive(call.pathParam("id"), path(call), stat -> {
                try {
                    call.exchange().responseHeaders().set(STAT_HEADER, header(stat));
                    out[0] = call.exchange().sendChunked(200, "application/x-tar");
                    return new java.io.BufferedOutputStream(out[0], 64 * 1024);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        out[0].close();
    }

    void put(ApiCall call) throws IOException {
        files.extract(call.pathParam("id"), path(call), call.queryFlag("noOverwriteDirNonDir"), call.request().body());
        call.exchange().send(200, null, new byte[0]);
    }

    void export(ApiCall call) throws IOException {
        containers.get(call.pathParam("id")); // 404 before the response starts
        try (OutputStream out = call.exchange().sendChunked(200, "application/x-tar")) {
            java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(out, 64 * 1024);
            files.export(call.pathParam("id"), buffered);
            buffered.flush();
        }
    }

    private static String path(ApiCall call) {
        String path = call.request().queryParam("path");
        if (path == null || path.isEmpty()) {
            throw AgentException.invalidArgument("path is required: give path=/PATH/IN/CONTAINER");
        }
        return path;
    }

    static String header(ContainerFiles.PathStat stat) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", stat.name());
        json.put("size", stat.size());
        json.put("mode", stat.mode());
        json.put("mtime", stat.mtime().toString());
        json.put("linkTarget", stat.linkTarget());
        return Base64.getEncoder().encodeToString(Json.bytes(json));
    }
}
