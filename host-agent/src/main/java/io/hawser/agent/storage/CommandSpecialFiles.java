package io.hawser.agent.storage;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@link SpecialFiles} through coreutils {@code mknod}/{@code mkfifo} and GNU tar, which are on every host
 * the agent targets, so the agent needs no native code for them. The opaque xattr is written by feeding GNU
 * tar a one-entry PAX archive carrying {@code SCHILY.xattr.trusted.overlay.opaque=y} for {@code .}: the
 * JDK's xattr view is limited to the {@code user.} namespace, and {@code setfattr} is not installed by default.
 * A failed layer is rare and spawning these takes a millisecond or two, so the cost is small.
 */
final class CommandSpecialFiles implements SpecialFiles {

    private static final long TIMEOUT_SECONDS = 60;

    @Override
    public void device(Path path, boolean block, int major, int minor) {
        run(List.of("mknod", "-m", "0600", "--", path.toString(), block ? "b" : "c",
                Integer.toString(major), Integer.toString(minor)), null, "mknod " + path);
    }

    @Override
    public void fifo(Path path) {
        run(List.of("mkfifo", "-m", "0600", "--", path.toString()), null, "mkfifo " + path);
    }

    @Override
    public void opaque(Path directory) {
        run(List.of("tar", "-x", "--xattrs", "--xattrs-include=trusted.overlay.opaque", "--no-same-permissions",
                "--no-overwrite-dir", "-C", directory.toString(), "-f", "-"),
                opaqueArchive(), "set trusted.overlay.opaque=y on " + directory);
    }

    /** A PAX header for "." with the xattr record, the "." directory entry, and the end-of-archive blocks. */
    static byte[] opaqueArchive() {
        TarWriter w = new TarWriter();
        w.paxHeader(".", "SCHILY.xattr.trusted.overlay.opaque", "y");
        w.directory(".", 0755);
        return w.finish();
    }

    private static void run(List<String> command, byte[] stdin, String what) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw AgentException.system(what + " did not finish within " + TIMEOUT_SECONDS + "s");
            }
            if (p.exitValue() != 0) {
                throw AgentException.system(what + " failed: " + command.get(0) + " exited with " + p.exitValue() + ": " + output);
            }
        } catch (IOException e) {
            throw AgentException.system(what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.system(what + " was interrupted");
        }
    }
}
