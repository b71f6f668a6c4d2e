package io.hawser.agent.storage;

import io.hawser.agent.common.AgentException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code trusted.overlay.opaque} of many directories with one GNU tar run: the JDK reads only
 * {@code user.*} xattrs and getfattr is not installed by default (the same reason {@link CommandSpecialFiles}
 * writes the xattr with tar). tar archives the directories' headers only ({@code --no-recursion}) in PAX
 * format, whose {@code SCHILY.xattr.*} records carry the xattrs; a directory's header has no content.
 */
final class TarOpaqueProbe implements ChangeScanner.OpaqueProbe {

    static final String XATTR_RECORD = "SCHILY.xattr.trusted.overlay.opaque";
    private static final long TIMEOUT_SECONDS = 120;

    @Override
    public Set<String> opaque(Path upper, List<String> dirs) {
        List<String> command = List.of("tar", "--create", "--format=posix", "--xattrs",
                "--xattrs-include=trusted.overlay.opaque", "--no-recursion", "--null", "-C", upper.toString(),
                "-T", "-", "-f", "-");
        try {
            Process p = new ProcessBuilder(command).start();
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream()));
            CompletableFuture<Void> feed = CompletableFuture.runAsync(() -> {
                try (OutputStream in = p.getOutputStream()) {
                    for (String d : dirs) {
                        in.write(d.getBytes(StandardCharsets.UTF_8));
                        in.write(0);
                    }
                } catch (IOException e) {
                    // tar ended early; its exit status says why
                }
            });
            Set<String> opaque;
            try (InputStream out = p.getInputStream()) {
                opaque = parse(out);
            }
            feed.join();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw AgentException.system("read overlay xattrs under " + upper + ": tar did not finish within " + TIMEOUT_SECONDS + "s");
            }
            // 1: some files changed or vanished while read, which a running container may do; the rest is read.
            if (p.exitValue() > 1) {
                throw AgentException.system("read overlay xattrs under " + upper + ": tar exited with " + p.exitValue() + ": " + err.join().strip());
            }
            return opaque;
        } catch (IOException e) {
            throw AgentException.system("read overlay xattrs under " + upper, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AgentException.system("read overlay xattrs under " + upper + ": interrupted");
        }
    }

    /** The names (without trailing '/') of the members whose PAX header has the opaque record set to "y". */
    static Set<String> parse(InputStream in) throws IOException {
        Set<String> opaque = new HashSet<>();
        Map<String, String> pax = new HashMap<>();
        byte[] block = new byte[TarReader.BLOCK];
        while (in.readNBytes(block, 0, block.length) == block.length) {
            if (isZero(block)) {
                break;
            }
            long size = octal(block, 124, 12);
            char flag = (char) (block[156] & 0xff);
            if (size < 0 || size > TarReader.MAX_EXTENSION_BYTES) {
                throw new IOException("tar member of " + size + " bytes where only directory headers were asked for");
            }
            byte[] data = in.readNBytes((int) roundUp(size));
            if (flag == 'x') {
                pax.putAll(PaxRecords.parse(java.util.Arrays.copyOf(data, (int) size)));
                continue;
            }
            if (flag == 'g') {
                continue;
            }
            String name = pax.getOrDefault("path", ustarName(block));
            if ("y".equals(pax.get(XATTR_RECORD))) {
                opaque.add(name.endsWith("/") ? name.substring(0, name.length() - 1) : name);
            }
            pax.clear();
        }
        return opaque;
    }

    private static String ustarName(byte[] h) {
        String name = cString(h, 0, 100);
        String prefix = cString(h, 345, 155);
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private static String cString(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) {
            end++;
        }
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) {
        String s = cString(h, off, len).trim();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    private static long roundUp(long size) {
        return (size + TarReader.BLOCK - 1) / TarReader.BLOCK * TarReader.BLOCK;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String drain(InputStream in) {
        try (in; ByteArrayOutputStream buf = new ByteArrayOutputStream()) {
            in.transferTo(buf);
            return buf.toString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
