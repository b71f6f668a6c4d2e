package io.hawser.agent.runtime;

/** The namespaces a container gets (namespaces(7)); {@link #specName()} is the shim's spec value. */
public enum Namespace {
    PID("pid"),
    MNT("mnt"),
    UTS("uts"),
    IPC("ipc"),
    /** Without it the container shares the host's network (docker run --network host). */
    NET("net");

    private final String specName;

    Namespace(String specName) {
        this.specName = specName;
    }

    public String specName() {
        return specName;
    }
}
