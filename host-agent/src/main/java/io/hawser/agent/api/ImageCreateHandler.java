package io.hawser.agent.api;

import io.hawser.agent.api.http.Json;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.image.Image;
import io.hawser.agent.image.ImageReference;
import io.hawser.agent.image.ImageStore;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /images/create?fromSrc=-}: {@code docker import}. The body is the tarball; the answer
 * streams JSON progress lines as dockerd's does ({@code {"status":"Importing","progressDetail":...}}),
 * then {@code {"status":"sha256:<id>"}}, which the CLI prints. A failure after the stream started is a
 * final {@code {"errorDetail":{"message":...},"error":...}} line, which the CLI prints and exits 1 on.
 * Pulling ({@code fromImage}) is not supported: there is no registry client in the agent.
 */
final class ImageCreateHandler implements Endpoint {

    /** How often a progress line goes out: dockerd's progress reader updates about every 512 KiB too. */
    static final long PROGRESS_STEP = 512 * 1024;

    private final ImageStore store;
    private final String architecture;

    ImageCreateHandler(ImageStore store, String architecture) {
        this.store = store;
        this.architecture = architecture;
    }

    @Override
    public void handle(ApiCall call) throws IOException {
        String fromImage = call.request().queryParam("fromImage");
        String fromSrc = call.request().queryParam("fromSrc");
        if (fromImage != null && !fromImage.isEmpty()) {
            throw AgentException.invalidArgument("pulling images is not supported by this agent (fromImage=" + fromImage
                    + "): import a root filesystem tarball with docker import instead");
        }
        if (fromSrc == null || fromSrc.isEmpty()) {
            throw AgentException.invalidArgument("either fromImage or fromSrc must be given");
        }
        if (!fromSrc.equals("-")) {
            throw AgentException.invalidArgument("importing from a URL is not supported (fromSrc=" + fromSrc
                    + "): send the tarball as the request body with fromSrc=-");
        }
        ImageReference tag = tag(call.request().queryParam("repo"), call.request().queryParam("tag"));
        String message = call.request().queryParam("message");
        List<String> changes = call.request().query().getOrDefault("changes", List.of());
        ImageStore.ImportRequest request = new ImageStore.ImportRequest(tag,
                message == null || message.isEmpty() ? "Imported from " + fromSrc : message, changes, architecture);

        String length = call.request().headers().first("Content-Length");
        long total = length == null ? 0 : Long.parseLong(length.trim());
        Progress progress = new Progress(call, total);
        Image image;
        try {
            image = store.importImage(new Counting(call.request().body(), progress), request);
        } catch (AgentException | IOException e) {
            if (!call.exchange().responseStarted()) {
                throw e;
            }
            progress.line(Map.of("errorDetail", Map.of("message", String.valueOf(e.getMessage())), "error", String.valueOf(e.getMessage())));
            progress.out.close();
            return;
        }
        progress.update(true);
        progress.line(Map.of("status", image.id().toString()));
        progress.out.close();
    }

    /** dockerd: {@code repo} may carry the tag; a separate {@code tag} overrides it. */
    static ImageReference tag(String repo, String tag) {
        if (repo == null || repo.isEmpty()) {
            return null;
        }
        ImageReference ref = ImageReference.parse(repo);
        if (ref.digest() != null) {
            throw AgentException.invalidArgument("cannot import digest reference");
        }
        return tag == null || tag.isEmpty() ? ref : ref.withTag(tag);
    }

    /** Progress lines, starting the chunked response at the first one. */
    private static final class Progress {
        private final ApiCall call;
        private final long total;
        private long current;
        private long reported = -1;
        OutputStream out;

        Progress(ApiCall call, long total) {
            this.call = call;
            this.total = total;
        }

        void add(long n) throws IOException {
            current += n;
            if (current - Math.max(reported, 0) >= PROGRESS_STEP) {
                update(false);
            }
        }

        void update(boolean last) throws IOException {
            if (current == reported || (last && reported < 0 && current == 0)) {
                return;
            }
            reported = current;
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("current", current);
            if (total > 0) {
                detail.put("total", total);
            }
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("status", "Importing");
            line.put("progressDetail", detail);
            line.put("progress", ProgressBar.format(current, total));
            line(line);
        }

        void line(Map<String, ?> json) throws IOException {
            if (out == null) {
                out = call.exchange().sendChunked(200, "application/json");
            }
            out.write(Json.bytes(json));
            out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
        }
    }

    private static final class Counting extends FilterInputStream {
        private final Progress progress;

        Counting(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                progress.add(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                progress.add(n);
            }
            if (n < 0) {
                progress.update(false);
            }
            return n;
        }
    }
}
