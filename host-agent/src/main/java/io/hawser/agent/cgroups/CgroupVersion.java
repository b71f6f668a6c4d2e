package io.hawser.agent.cgroups;

/**
 * Which cgroup interface the host mounts. {@code docker info} reports it as {@code CgroupVersion} "1" or "2".
 *
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v2.html">cgroup v2</a>
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/index.html">cgroup v1</a>
 */
public enum CgroupVersion {
    V1("1"),
    V2("2");

    private final String wire;

    CgroupVersion(String wire) {
        this.wire = wire;
    }

    /** As {@code GET /info} reports it in {@code CgroupVersion}. */
    public String wire() {
        return wire;
    }
}
