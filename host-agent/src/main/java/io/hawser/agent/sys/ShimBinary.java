package io.hawser.agent.sys;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;

/**
 * Installs the hawser-shim binary that the build put inside the jar
 * ({@code native/<platform>/hawser-shim}, see hawser-shim.c) as {@code <data-root>/bin/hawser-shim}.
 *
 * <p>The file is written to a temp file in the same folder and renamed over the old one, and only when
 * its sha256 differs. Renaming matters beyond crash safety: shims of running containers keep executing
 * the old inode (writing into it in place would fail with ETXTBSY), and they survive agent restarts.
 */
public final class ShimBinary {

    public static final String FILE_NAME = "hawser-shim";
    static final Set<PosixFilePermission> MODE_0755 = PosixFilePermissions.fromString("rwxr-xr-x");

    /** Where the shim ended up, and whether this call had to (re)write it. */
    public record Installed(Path path, String sha256, boolean rewritten) {}

    private ShimBinary() {}

    /** Installs the shim packaged for this host's platform. */
    public static Installed install(Path dataRoot, HostInfo host) {
        String resource = "/native/" + host.nativePlatform() + "/" + FILE_NAME;
        byte[] content;
        try (InputStream in = ShimBinary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw AgentException.system("this build has no " + FILE_NAME + " for " + host.nativePlatform()
                        + " (classpath resource " + resource + " missing)");
            }
            content = in.readAllBytes();
        } catch (IOException e) {
            throw AgentException.system("read classpath resource " + resource, e);
        }
        return install(dataRoot.resolve("bin"), content);
    }

    /** Installs {@code content} as {@code binDir/hawser-shim}; visible for tests. */
    static Installed install(Path binDir, byte[] content) {
        Path target = binDir.resolve(FILE_NAME);
        String wanted = sha256(content);
        try {
            Files.createDirectories(binDir);
            if (Files.isRegularFile(target) && wanted.equals(sha256(Files.readAllBytes(target)))) {
                if (!Files.getPosixFilePermissions(target).equals(MODE_0755)) {
                    Files.setPosixFilePermissions(target, MODE_0755);
                }
                return new Installed(target, wanted, false);
            }
            Path tmp = Files.createTempFile(binDir, "." + FILE_NAME + "-", ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer buf = ByteBuffer.wrap(content);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true); // the rename must never expose a file whose bytes are not on disk yet
                }
                // Explicit, not via umask: createTempFile makes 0600 and the agent's umask is not ours to trust.
                Files.setPosixFilePermissions(tmp, MODE_0755);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return new Installed(target, wanted, true);
        } catch (IOException e) {
            throw AgentException.system("install " + FILE_NAME + " to " + target, e);
        }
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
