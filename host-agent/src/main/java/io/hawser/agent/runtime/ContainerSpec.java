package io.hawser.agent.runtime;

import io.hawser.agent.common.AgentException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the shim runs for one container: everything in its spec file (see {@link SpecFile}). Built with
 * {@link #builder(Path, Path, List)}, which starts from Docker's defaults: all five namespaces, the 14
 * default capabilities, no_new_privs, Docker's masked and read-only paths, root, cwd "/".
 */
public record ContainerSpec(
        Path rootfs,
        List<String> args,
        List<String> env,
        String cwd,
        int uid,
        int gid,
        List<Integer> additionalGids,
        String hostname,
        boolean tty,
        boolean stdinOpen,
        Path logPath,
        long logMaxSize,
        int logMaxFile,
        Set<Namespace> namespaces,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        Set<Capability> capabilities,
        boolean noNewPrivs,
        List<SpecMount> mounts,
        boolean readonlyRootfs) {

    /** moby oci/defaults.go DefaultLinuxSpec: MaskedPaths. */
    public static final List<String> DOCKER_MASKED_PATHS = List.of("/proc/asound", "/proc/acpi", "/proc/kcore",
            "/proc/keys", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

    /** moby oci/defaults.go DefaultLinuxSpec: ReadonlyPaths. */
    public static final List<String> DOCKER_READONLY_PATHS = List.of("/proc/bus", "/proc/fs", "/proc/irq",
            "/proc/sys", "/proc/sysrq-trigger");

    public ContainerSpec {
        Objects.requireNonNull(rootfs, "rootfs");
        Objects.requireNonNull(logPath, "logPath");
        args = List.copyOf(args);
        env = List.copyOf(env);
        additionalGids = List.copyOf(additionalGids);
        namespaces = Set.copyOf(namespaces);
        maskedPaths = List.copyOf(maskedPaths);
        readonlyPaths = List.copyOf(readonlyPaths);
        capabilities = Set.copyOf(capabilities);
        mounts = mounts == null ? List.of() : List.copyOf(mounts);
        if (args.isEmpty()) {
            throw new IllegalArgumentException("a container needs a command (args is empty)");
        }
        for (String path : concat(maskedPaths, readonlyPaths)) {
            if (!isContainerPath(path)) {
                throw AgentException.invalidArgument("masked and read-only paths must be absolute, not \"/\", without"
                        + " \".\" or \"..\" components: '" + path + "'");
            }
        }
        if (!namespaces.contains(Namespace.MNT)) {
            throw new IllegalArgumentException("a container needs its own mount namespace (for pivot_root)");
        }
        if (logMaxSize < 0 || logMaxFile < 1) {
            throw new IllegalArgumentException("log max-size must be >= 0 and max-file >= 1");
        }
    }

    public static Builder builder(Path rootfs, Path logPath, List<String> args) {
        return new Builder(rootfs, logPath, args);
    }

    public Builder toBuilder() {
        Builder b = new Builder(rootfs, logPath, args);
        b.env = new ArrayList<>(env);
        b.cwd = cwd;
        b.uid = uid;
        b.gid = gid;
        b.additionalGids = new ArrayList<>(additionalGids);
        b.hostname = hostname;
        b.tty = tty;
        b.stdinOpen = stdinOpen;
        b.logMaxSize = logMaxSize;
        b.logMaxFile = logMaxFile;
        b.namespaces = EnumSet.copyOf(namespaces);
        b.maskedPaths = maskedPaths;
        b.readonlyPaths = readonlyPaths;
        b.capabilities = capabilities.isEmpty() ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities);
        b.noNewPrivs = noNewPrivs;
        b.mounts = mounts;
        b.readonlyRootfs = readonlyRootfs;
        return b;
    }

    /** Mutable builder; every setter returns this. */
    public static final class Builder {
        private final Path rootfs;
        private final Path logPath;
        private final List<String> args;
        private List<String> env = new ArrayList<>();
        private String cwd = "/";
        private int uid;
        private int gid;
        private List<Integer> additionalGids = new ArrayList<>();
        private String hostname;
        private boolean tty;
        private boolean stdinOpen;
        private long logMaxSize;
        private int logMaxFile = 1;
        private Set<Namespace> namespaces = EnumSet.allOf(Namespace.class);
        private List<String> maskedPaths = DOCKER_MASKED_PATHS;
        private List<String> readonlyPaths = DOCKER_READONLY_PATHS;
        private Set<Capability> capabilities = EnumSet.copyOf(Capability.DOCKER_DEFAULTS);
        private boolean noNewPrivs = true;
        private List<SpecMount> mounts = List.of();
        private boolean readonlyRootfs;

        private Builder(Path rootfs, Path logPath, List<String> args) {
            this.rootfs = rootfs;
            this.logPath = logPath;
            this.args = List.copyOf(args);
        }

        public Builder env(List<String> env) { this.env = new ArrayList<>(env); return this; }
        public Builder cwd(String cwd) { this.cwd = cwd; return this; }
        public Builder user(int uid, int gid) { this.uid = uid; this.gid = gid; return this; }
        public Builder additionalGids(List<Integer> gids) { this.additionalGids = new ArrayList<>(gids); return this; }
        public Builder hostname(String hostname) { this.hostname = hostname; return this; }
        public Builder tty(boolean tty) { this.tty = tty; return this; }
        public Builder stdinOpen(boolean open) { this.stdinOpen = open; return this; }
        public Builder logRotation(long maxSize, int maxFile) { this.logMaxSize = maxSize; this.logMaxFile = maxFile; return this; }
        /** Without {@link Namespace#NET} the container uses the host's network. */
        public Builder namespaces(Set<Namespace> ns) { this.namespaces = EnumSet.copyOf(ns); return this; }
        public Builder maskedPaths(List<String> paths) { this.maskedPaths = List.copyOf(paths); return this; }
        public Builder readonlyPaths(List<String> paths) { this.readonlyPaths = List.copyOf(paths); return this; }
        public Builder capabilities(Set<Capability> caps) { this.capabilities = Set.copyOf(caps); return this; }
        public Builder noNewPrivs(boolean on) { this.noNewPrivs = on; return this; }
        /** -v, --mount and --tmpfs, in mount order (a parent before what is mounted below it). */
        public Builder mounts(List<SpecMount> m) { this.mounts = List.copyOf(m); return this; }
        /** --read-only: the root's own mount only; /dev, /proc, /sys and the mounts keep their flags. */
        public Builder readonlyRootfs(boolean on) { this.readonlyRootfs = on; return this; }

        public ContainerSpec build() {
            return new ContainerSpec(rootfs, args, env, cwd, uid, gid, additionalGids, hostname, tty, stdinOpen,
                    logPath, logMaxSize, logMaxFile, namespaces, maskedPaths, readonlyPaths, capabilities, noNewPrivs,
                    mounts, readonlyRootfs);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The shim's rule too (spec.c spec_path_ok): absolute, not the root, no empty, "." or ".." component. */
    static boolean isContainerPath(String path) {
        if (!path.startsWith("/") || path.length() == 1 || path.indexOf('\0') >= 0) {
            return false;
        }
        for (String part : path.substring(1).split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
