package io.hawser.agent.build;

import io.hawser.agent.image.Digest;
import io.hawser.agent.image.ImageStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The layer cache of the classic builder: a step's key is the sha256 of its parent image id, its history
 * line (which for COPY/ADD holds the checksum of the copied content and metadata, for RUN the build args in
 * scope) and the resulting run config; the value is the image the step made. One small file per key under
 * {@code <data-root>/build/cache/}; an entry whose image was removed is a miss.
 */
final class BuildCache {

    private final Path dir;
    private final ImageStore images;

    BuildCache(Path dir, ImageStore images) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.images = images;
    }

    static String key(String parentId, String createdBy, byte[] config) {
        byte[] head = ((parentId == null ? "scratch" : parentId) + "\n" + createdBy + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + config.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(config, 0, all, head.length, config.length);
        return Digest.of(all).hex();
    }

    Optional<String> find(String key) throws IOException {
        Path f = dir.resolve(key);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        String id = Files.readString(f, StandardCharsets.US_ASCII).strip();
        return images.find(id).map(i -> i.id().toString());
    }

    void put(String key, String imageId) throws IOException {
        Path tmp = Files.createTempFile(dir, ".put-", "");
        Files.writeString(tmp, imageId, StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
