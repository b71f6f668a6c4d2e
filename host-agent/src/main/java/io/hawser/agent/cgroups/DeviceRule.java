package io.hawser.agent.cgroups;

import java.util.List;

/**
 * One device cgroup rule: which device nodes a container may create (m), read (r) and write (w). Opening
 * a node that no rule allows fails with EPERM whatever the file's mode and the caller's capabilities, so
 * the rules are what keeps a container's root (which keeps CAP_MKNOD, as in Docker) from making a node
 * of the host's disk and reading it.
 *
 * @param type 'c' (character), 'b' (block) or 'a' (all)
 * @param major the major number, {@link #ANY} for "*"
 * @param minor the minor number, {@link #ANY} for "*"
 * @param access a non-empty subset of "rwm", in that order
 * @see <a href="https://docs.kernel.org/admin-guide/cgroup-v1/devices.html">Device Whitelist Controller</a>
 */
public record DeviceRule(char type, long major, long minor, String access) {

    public static final long ANY = -1;

    /**
     * What every Docker container may use (runc libcontainer/specconv AllowedDevices, which moby 20.10
     * applies after its deny-all rule): mknod of any node (m), and rwm of null, zero, full, random,
     * urandom, tty, console, ptmx, the pts slaves (136:*) and tun. Nothing else, in particular no block
     * device.
     */
    public static final List<DeviceRule> DOCKER_DEFAULTS = List.of(
            new DeviceRule('c', ANY, ANY, "m"),
            new DeviceRule('b', ANY, ANY, "m"),
            new DeviceRule('c', 1, 3, "rwm"), // null
            new DeviceRule('c', 1, 5, "rwm"), // zero
            new DeviceRule('c', 1, 7, "rwm"), // full
            new DeviceRule('c', 1, 8, "rwm"), // random
            new DeviceRule('c', 1, 9, "rwm"), // urandom
            new DeviceRule('c', 5, 0, "rwm"), // tty
            new DeviceRule('c', 5, 1, "rwm"), // console
            new DeviceRule('c', 5, 2, "rwm"), // ptmx
            new DeviceRule('c', 136, ANY, "rwm"), // pts
            new DeviceRule('c', 10, 200, "rwm")); // net/tun

    public DeviceRule {
        if (type != 'a' && type != 'b' && type != 'c') {
            throw new IllegalArgumentException("device type must be a, b or c: " + type);
        }
        if (major < ANY || minor < ANY || major > 0xffffffffL || minor > 0xffffffffL) {
            throw new IllegalArgumentException("bad device number " + major + ":" + minor);
        }
        if (access.isEmpty() || !access.matches("r?w?m?")) {
            throw new IllegalArgumentException("device access must be a non-empty subset of rwm in that order: " + access);
        }
    }

    /** The v1 {@code devices.allow} line: {@code c 1:3 rwm}, {@code c *:* m}. */
    public String v1Line() {
        return type + " " + number(major) + ":" + number(minor) + " " + access;
    }

    private static String number(long n) {
        return n == ANY ? "*" : Long.toString(n);
    }
}
