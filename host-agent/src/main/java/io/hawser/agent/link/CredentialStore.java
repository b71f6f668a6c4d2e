package io.hawser.agent.link;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The host's link credential in {@code <data-root>/link/credential}: one line {@code <hostId>.<credential>}, exactly
 * what the link sends as {@code Authorization: Bearer}. Mode 0600 in a 0700 folder; written to a temp file in the same
 * folder, synced and renamed, so a crash leaves the old credential or the new one, never half of one.
 */
final class CredentialStore {

    private static final Pattern FORMAT = Pattern.compile("[0-9a-f-]{36}\\.[A-Za-z0-9_-]{20,200}");

    private final Path dir;
    private final Path file;

    CredentialStore(Path dataRoot) {
        this.dir = dataRoot.resolve("link");
        this.file = dir.resolve("credential");
    }

    Path file() {
        return file;
    }

    Optional<String> load() throws IOException {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String value = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (!FORMAT.matcher(value).matches()) {
            throw new IOException(file + " does not hold a host credential; remove it to enroll again with a join token");
        }
        return Optional.of(value);
    }

    void save(String bearer) throws IOException {
        if (!FORMAT.matcher(bearer).matches()) {
            throw new IllegalArgumentException("not a host credential");
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Path tmp = Files.createTempFile(dir, "credential", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(java.nio.ByteBuffer.wrap((bearer + "\n").getBytes(StandardCharsets.US_ASCII)));
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        // The rename is durable once the folder's entry is.
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
