package io.hawser.agent.build;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.container.UserLookup;
import io.hawser.agent.image.Digest;
import io.hawser.agent.storage.LayerExtractor;
import io.hawser.agent.storage.ScopedPath;
import io.hawser.agent.storage.SpecialFiles;
import io.hawser.agent.storage.TarOutput;
import io.hawser.agent.storage.TreeArchiver;
import io.hawser.agent.sys.FileSyscalls;
import io.hawser.agent.sys.SyscallException;
import io.hawser.agent.sys.Syscalls;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * COPY and ADD. Sources are resolved inside their root (the context, or the image of {@code --from}) by
 * ScopedPath, so a symlink never leads out of it; the step's checksum (the cache key) covers the content and
 * metadata of what is copied. The destination is resolved inside an overlay of the image so far by ScopedPath
 * and opened directory by directory without following links, then the copy is extracted there with the
 * hostile-tar rules of {@link LayerExtractor#forCopy} (owner 0:0 or {@code --chown}); the overlay's upper
 * directory is the step's layer. ADD unpacks a local tar archive (plain or gzip) the same way.
 */
final class CopyStep {

    enum Kind { DIR, FILE, ARCHIVE }

    record Item(Path root, List<String> parts, Kind kind) {
        String baseName() {
            return parts.isEmpty() ? "" : parts.get(parts.size() - 1);
        }
    }

    record Plan(List<Item> items, String dest, int uid, int gid, String checksum) {}

    private static final int ENOENT = 2;

    private final FileSyscalls fs;
    private final Syscalls sys;
    private final LayerExtractor extractor = new LayerExtractor(SpecialFiles.system(), false);

    CopyStep(FileSyscalls fs, Syscalls sys) {
        this.fs = fs;
        this.sys = sys;
    }

    /** @param chownLayers the image's snapshots top first, for --chown names (empty for scratch) */
    Plan prepare(Path sourceRoot, List<String> sources, String dest, boolean add, String chown, List<Path> chownLayers)
            throws IOException {
        List<Item> items = new ArrayList<>();
        for (String src : sources) {
            if (src.matches("(?i)https?://.*")) {
                throw AgentException.invalidArgument("ADD from a URL is not supported: this engine has no network access (" + src + ")");
            }
            for (List<String> parts : BuildContext.sources(sourceRoot, src)) {
                Path p = sourceRoot.resolve(String.join("/", parts));
                Kind kind = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? Kind.DIR
                        : add && isArchive(p) ? Kind.ARCHIVE : Kind.FILE;
                items.add(new Item(sourceRoot, parts, kind));
            }
        }
        if (items.size() > 1 && !dest.endsWith("/")) {
            throw AgentException.invalidArgument("When using COPY with more than one source file, the destination must be a directory and end with a /");
        }
        int uid = 0;
        int gid = 0;
        if (chown != null && !chown.isEmpty()) {
            // moby's parseChownFlag: a user alone means user:user; names come from the image's own passwd and
            // group files, read without following any symlink (UserLookup), never from the host's.
            String spec = chown.contains(":") ? chown : chown + ":" + chown;
            UserLookup.ExecUser user = new UserLookup(chownLayers).resolve(spec);
            uid = user.uid();
            gid = user.gid();
        }
        MessageDigest sha = sha256();
        try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
            for (Item item : items) {
                out.write((item.kind() + "\0" + String.join("/", item.parts()) + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                writeItem(item, item.baseName(), out);
            }
        }
        String kind = items.size() > 1 ? "multi" : items.get(0).kind() == Kind.DIR ? "dir" : "file";
        return new Plan(items, dest, uid, gid, kind + ":" + Digest.of(sha).hex());
    }

    /** Copies the plan into {@code root} (the image so far, mounted read-write by the caller). */
    void apply(Plan plan, Path root, Path work) throws IOException {
        int n = 0;
        for (Item item : plan.items()) {
            String dir = plan.dest();
            String name = null;
            if (item.kind() == Kind.FILE) {
                boolean intoDir = plan.dest().endsWith("/") || isDirectory(root, plan.dest());
                if (intoDir) {
                    name = item.baseName();
                } else {
                    String clean = IgnorePatterns.clean(plan.dest());
                    int slash = clean.lastIndexOf('/');
                    dir = slash <= 0 ? "/" : clean.substring(0, slash);
                    name = clean.substring(slash + 1);
                }
            }
            Path tar = work.resolve("item-" + n++ + ".tar");
            try (OutputStream out = Files.newOutputStream(tar)) {
                writeItem(item, name, out);
            }
            int fd = mkdirs(root, dir, plan.uid(), plan.gid());
            try (InputStream in = item.kind() == Kind.ARCHIVE ? archive(tar) : Files.newInputStream(tar)) {
                extractor.forCopy(plan.uid(), plan.gid(), false).extract(in, FileSyscalls.procFd(fd));
            } finally {
                fs.close(fd);
                Files.deleteIfExists(tar);
            }
        }
    }

    /** A DIR's contents, a FILE as the one entry {@code name}, an ARCHIVE's bytes as they are. */
    private void writeItem(Item item, String name, OutputStream out) throws IOException {
        Path p = item.root().resolve(String.join("/", item.parts()));
        if (item.kind() == Kind.ARCHIVE) {
            Files.copy(p, out);
            return;
        }
        TarOutput tar = new TarOutput(out);
        TreeArchiver archiver = new TreeArchiver(fs, TreeArchiver.Mode.PLAIN, x -> false);
        if (item.kind() == Kind.DIR) {
            archiver.contents(p, "", tar);
        } else {
            int dirFd = fs.openDirectory(FileSyscalls.AT_FDCWD, p.getParent().toString());
            try {
                archiver.entry(dirFd, item.baseName(), name, tar);
            } finally {
                fs.close(dirFd);
            }
        }
        tar.finish();
    }

    /** {@code root/dir} resolved in scope, missing directories made (0755, owned as the copy); the open directory. */
    private int mkdirs(Path root, String dir, int uid, int gid) throws IOException {
        List<String> parts = ScopedPath.resolve(root, dir, true);
        int fd = fs.openDirectory(FileSyscalls.AT_FDCWD, root.toString());
        for (String part : parts) {
            int next;
            try {
                next = fs.openDirectory(fd, part);
            } catch (SyscallException e) {
                if (e.errno() != ENOENT) {
                    fs.close(fd);
                    throw AgentException.invalidArgument("cannot copy to " + dir + ": " + part + " is not a directory");
                }
                Path made = Files.createDirectory(FileSyscalls.procFd(fd).resolve(part));
                fs.chmodNoFollow(made, 0755);
                Files.setAttribute(made, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
                Files.setAttribute(made, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
                next = fs.openDirectory(fd, part);
            }
            fs.close(fd);
            fd = next;
        }
        return fd;
    }

    private static boolean isDirectory(Path root, String path) throws IOException {
        return Files.isDirectory(root.resolve(String.join("/", ScopedPath.resolve(root, path, true))), LinkOption.NOFOLLOW_LINKS);
    }

    /** A tar or gzip-compressed tar: "ustar" at offset 257 of the (decompressed) first block. */
    static boolean isArchive(Path p) throws IOException {
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (InputStream in = archive(p)) {
            byte[] block = in.readNBytes(512);
            return block.length == 512 && new String(block, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        } catch (IOException e) {
            return false;
        }
    }

    private static InputStream archive(Path p) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS));
        in.mark(2);
        int b1 = in.read();
        int b2 = in.read();
        in.reset();
        return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in) : in;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Syscalls syscalls() {
        return sys;
    }
}
