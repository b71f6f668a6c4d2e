package io.hawser.agent.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A command to run inside a running container ({@code hawser-shim exec}): it joins {@code namespaces}
 * of the container's init and the cgroups whose {@code cgroup.procs} files are listed, then runs with
 * the given user, capabilities and no_new_privs like the init. With a {@code winsizeFile} (null: none) the
 * command gets a pseudo-terminal of the container's devpts and the shim relays it to its own stdin/stdout;
 * {@link TtyResize} writes the file and signals the shim (see tty.c).
 */
public record ExecSpec(
        List<String> args,
        List<String> env,
        String cwd,
        int uid,
        int gid,
        List<Integer> additionalGids,
        Set<Namespace> namespaces,
        Set<Capability> capabilities,
        boolean noNewPrivs,
        List<Path> cgroupProcs,
        Path winsizeFile) {

    /** Without a terminal. */
    public ExecSpec(List<String> args, List<String> env, String cwd, int uid, int gid, List<Integer> additionalGids,
            Set<Namespace> namespaces, Set<Capability> capabilities, boolean noNewPrivs, List<Path> cgroupProcs) {
        this(args, env, cwd, uid, gid, additionalGids, namespaces, capabilities, noNewPrivs, cgroupProcs, null);
    }

    public boolean tty() {
        return winsizeFile != null;
    }

    public ExecSpec {
        args = List.copyOf(args);
        env = List.copyOf(env);
        additionalGids = List.copyOf(additionalGids);
        namespaces = Set.copyOf(namespaces);
        capabilities = Set.copyOf(capabilities);
        cgroupProcs = List.copyOf(cgroupProcs);
        if (args.isEmpty()) {
            throw new IllegalArgumentException("exec needs a command (args is empty)");
        }
    }

    /** Root, Docker's default capabilities, no_new_privs, all of the container's namespaces, no cgroups. */
    public static ExecSpec of(List<String> args, List<String> env) {
        return new ExecSpec(args, env, "/", 0, 0, List.of(), Set.of(Namespace.values()), Capability.DOCKER_DEFAULTS,
                true, List.of());
    }
}
