package io.hawser.agent.runtime;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Linux capabilities in kernel order: {@code ordinal()} is the number of capabilities(7). */
public enum Capability {
    CHOWN, DAC_OVERRIDE, DAC_READ_SEARCH, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP, LINUX_IMMUTABLE,
    NET_BIND_SERVICE, NET_BROADCAST, NET_ADMIN, NET_RAW, IPC_LOCK, IPC_OWNER, SYS_MODULE, SYS_RAWIO,
    SYS_CHROOT, SYS_PTRACE, SYS_PACCT, SYS_ADMIN, SYS_BOOT, SYS_NICE, SYS_RESOURCE, SYS_TIME,
    SYS_TTY_CONFIG, MKNOD, LEASE, AUDIT_WRITE, AUDIT_CONTROL, SETFCAP, MAC_OVERRIDE, MAC_ADMIN, SYSLOG,
    WAKE_ALARM, BLOCK_SUSPEND, AUDIT_READ, PERFMON, BPF, CHECKPOINT_RESTORE;

    /**
     * Docker's 14 defaults (moby oci/caps/defaults.go): as a CapBnd mask, {@code 00000000a80425fb}.
     */
    public static final Set<Capability> DOCKER_DEFAULTS = Set.copyOf(EnumSet.of(CHOWN, DAC_OVERRIDE, FSETID,
            FOWNER, MKNOD, NET_RAW, SETGID, SETUID, SETFCAP, SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL,
            AUDIT_WRITE));

    public int number() {
        return ordinal();
    }

    /** Accepts "CHOWN", "CAP_CHOWN" and lower case, as {@code docker run --cap-add} does. */
    public static Capability parse(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return valueOf(n.startsWith("CAP_") ? n.substring(4) : n);
    }

    /** The bit mask /proc/PID/status shows for a set, e.g. {@code a80425fb} for the defaults. */
    public static long mask(Set<Capability> caps) {
        long mask = 0;
        for (Capability c : caps) {
            mask |= 1L << c.number();
        }
        return mask;
    }
}
