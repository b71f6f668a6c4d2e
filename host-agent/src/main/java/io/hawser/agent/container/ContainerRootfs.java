package io.hawser.agent.container;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.sys.SyscallException;
import io.hawser.agent.sys.Syscalls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A container's overlay root, laid out as dockerd's overlay2 driver does it: {@code diff/} (the upper layer,
 * what {@code docker diff} reads), {@code work/}, {@code merged/} (the mount point) and an init layer
 * {@code init/} below the upper one holding the mount points and files the runtime puts in every container
 * (/proc, /sys, /dev, /etc/hostname, /etc/hosts, /etc/resolv.conf), so they never show as changes.
 * Mounted at start, unmounted when the container stops, as dockerd does.
 */
public final class ContainerRootfs {

    private final Path dir;
    private final List<Path> imageLayers;
    private final Syscalls syscalls;

    /** @param imageLayers the image's snapshot directories, top first */
    public ContainerRootfs(Path containerDir, List<Path> imageLayers, Syscalls syscalls) {
        this.dir = containerDir;
        this.imageLayers = List.copyOf(imageLayers);
        this.syscalls = syscalls;
    }

    public Path upperDir() { return dir.resolve("diff"); }
    public Path workDir() { return dir.resolve("work"); }
    public Path mergedDir() { return dir.resolve("merged"); }
    public Path initDir() { return dir.resolve("init"); }
    public List<Path> imageLayers() { return imageLayers; }

    /** The overlay's lower directories, top first: the init layer, then the image's. */
    public List<Path> lowerDirs() {
        List<Path> lower = new ArrayList<>();
        lower.add(initDir());
        lower.addAll(imageLayers);
        return lower;
    }

    /** Upper, init and image layers, top first: where /etc/passwd is looked up. */
    public List<Path> allLayers() {
        List<Path> all = new ArrayList<>();
        all.add(upperDir());
        all.addAll(lowerDirs());
        return all;
    }

    /** Creates the directories and the init layer. */
    public void create(String hostname) {
        try {
            for (Path d : List.of(upperDir(), workDir(), mergedDir(), initDir())) {
                Files.createDirectories(d);
            }
            Path init = initDir();
            for (String d : List.of("proc", "sys", "dev/pts", "dev/shm", "etc")) {
                Files.createDirectories(init.resolve(d));
            }
            Files.writeString(init.resolve("etc/hostname"), hostname + "\n");
            Files.writeString(init.resolve("etc/hosts"), "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
                    + "127.0.1.1\t" + hostname + "\n");
            Path hostResolv = Path.of("/etc/resolv.conf");
            byte[] resolv = Files.isReadable(hostResolv) ? Files.readAllBytes(hostResolv) : new byte[0];
            Files.write(init.resolve("etc/resolv.conf"), resolv);
        } catch (IOException e) {
            throw AgentException.system("create the root filesystem of " + dir, e);
        }
    }

    public boolean isMounted() {
        try {
            String target = mergedDir().toString();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ");
                if (f.length > 4 && f[4].equals(target)) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            throw AgentException.system("read /proc/self/mountinfo", e);
        }
    }

    public void mount() {
        mount(false);
    }

    /**
     * Mounts the overlay unless mounted. {@code scratch}: the upper layer is discarded when the container
     * stops ({@code --rm}), so it is mounted {@code volatile} (overlayfs.rst, "Volatile mount", Linux 5.10):
     * the kernel then skips syncing the upper filesystem, which it otherwise does on every unmount, i.e. a
     * syncfs(2) of the whole filesystem holding the data root, waiting for everyone's dirty data (1 to 19 ms
     * measured here while other builds ran, on every {@code docker run --rm}'s path; bench/README.md). The
     * container's own fsync(2) calls become no-ops too, which nothing can observe since the layer is deleted
     * at exit. Podman mounts its {@code --rm} containers the same way. A kernel without the option gets a
     * plain mount.
     */
    public void mount(boolean scratch) {
        if (isMounted()) {
            return;
        }
        StringBuilder lower = new StringBuilder();
        for (Path p : lowerDirs()) {
            lower.append(lower.length() == 0 ? "" : ":").append(p);
        }
        String options = "lowerdir=" + lower + ",upperdir=" + upperDir() + ",workdir=" + workDir();
        if (scratch) {
            try {
                // a volatile mount not cleanly unmounted (crash) leaves this marker, and the kernel then
                // refuses to mount the work directory again until it is gone; its content is scratch
                Containers.deleteTree(workDir().resolve("work").resolve("incompat").resolve("volatile"));
                syscalls.mount("overlay", mergedDir().toString(), "overlay", 0, options + ",volatile");
                return;
            } catch (SyscallException e) {
                if (e.errno() != Syscalls.EINVAL) {
                    throw e;
                }
            }
        }
        syscalls.mount("overlay", mergedDir().toString(), "overlay", 0, options);
    }

    /** Unmounts if mounted; a busy mount is detached (the kernel frees it once unused). */
    public void unmount() {
        if (!isMounted()) {
            return;
        }
        try {
            syscalls.umount2(mergedDir().toString(), 0);
        } catch (SyscallException e) {
            syscalls.umount2(mergedDir().toString(), Syscalls.MNT_DETACH);
        }
    }

    /**
     * Creates the working directory in the merged root if missing, root-owned 0755 as dockerd does; walks
     * component by component and stops at a symlink (the shim's chdir then resolves it inside the root).
     */
    public void ensureWorkingDir(String cwd) {
        if (cwd == null || cwd.isEmpty() || cwd.equals("/")) {
            return;
        }
        Path p = mergedDir();
        for (String part : cwd.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                return;
            }
            p = p.resolve(part);
            if (Files.isSymbolicLink(p)) {
                return;
            }
            if (!Files.exists(p)) {
                try {
                    Files.createDirectory(p);
                } catch (IOException e) {
                    throw AgentException.system("create working directory " + cwd, e);
                }
            }
        }
    }
}
