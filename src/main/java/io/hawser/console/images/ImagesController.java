package io.hawser.console.images;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.console.access.NotVisibleException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The fleet's images for scripts. Image names may hold slashes ({@code registry:5000/team/app:1}), so the name is the
 * rest of the path ({@code {*name}}); tagging is {@code POST .../images/NAME/tag}. Errors are {@code {"message"}}
 * ({@link io.hawser.console.common.api.ApiErrors}).
 */
@RestController
class ImagesController {

    private final FleetImages images;

    ImagesController(FleetImages images) {
        this.images = images;
    }

    /** Every name of every image on the visible hosts, with the hosts that have it. */
    @GetMapping("/api/images")
    List<FleetImage> list(@RequestParam(required = false) UUID host, @RequestParam(required = false) String name) {
        return images.list(new ImageFilter(host, name));
    }

    @GetMapping("/api/hosts/{hostId}/images")
    List<FleetImage> onHost(@PathVariable UUID hostId) {
        return images.onHost(hostId);
    }

    /** {@code docker rmi}: the agent's list of what was untagged and deleted. */
    @DeleteMapping("/api/hosts/{hostId}/images/{*name}")
    JsonNode remove(@PathVariable UUID hostId, @PathVariable String name,
                    @RequestParam(defaultValue = "false") boolean force) {
        return images.remove(hostId, stripSlash(name), force);
    }

    /** {@code docker import -}: the body is the root filesystem tarball, streamed on to the host. */
    @PostMapping("/api/hosts/{hostId}/images/import")
    ResponseEntity<ImportResult> importTarball(@PathVariable UUID hostId, @RequestParam(required = false) String repo,
                                               @RequestParam(required = false) String tag, HttpServletRequest request)
            throws IOException {
        ImportResult result = images.importTarball(hostId, request.getInputStream(), request.getContentLengthLong(),
                repo, tag, n -> { });
        return ResponseEntity.status(HttpStatus.CREATED).body(result);
    }

    /** {@code POST .../images/NAME/tag?repo=&tag=}: {@code docker tag}. */
    @PostMapping("/api/hosts/{hostId}/images/{*path}")
    ResponseEntity<Void> tag(@PathVariable UUID hostId, @PathVariable String path, @RequestParam(required = false) String repo,
                             @RequestParam(required = false) String tag) {
        String name = stripSlash(path);
        if (!name.endsWith("/tag") || name.length() == "/tag".length()) {
            throw new NotVisibleException("no such endpoint: POST images/" + name + " (to tag an image: images/NAME/tag)");
        }
        images.tag(hostId, name.substring(0, name.length() - "/tag".length()), repo, tag);
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    private static String stripSlash(String rest) {
        return rest.startsWith("/") ? rest.substring(1) : rest;
    }
}
