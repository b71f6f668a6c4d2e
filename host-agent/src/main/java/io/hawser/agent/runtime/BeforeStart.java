package io.hawser.agent.runtime;

/**
 * Called by {@link ShimLauncher} once the container's init exists (in its namespaces, blocked before
 * it runs anything of the container's): the moment to put it into cgroups and wire its network. If
 * this throws, the shim kills the init and the launch fails with the same exception.
 */
@FunctionalInterface
public interface BeforeStart {

    BeforeStart NOTHING = initPid -> { };

    /** {@code initPid} is in the host's pid namespace. */
    void beforeStart(int initPid);
}
