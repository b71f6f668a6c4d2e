package io.hawser.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpecFileTest {

    private static List<String> records(byte[] encoded) {
        String s = new String(encoded, StandardCharsets.UTF_8);
        assertThat(s).endsWith("\0");
        return Arrays.asList(s.substring(0, s.length() - 1).split("\0", -1));
    }

    @Test
    void encode_writesNulTerminatedRecords_versionFirst_listsInOrder() {
        ContainerSpec spec = ContainerSpec.builder(Path.of("/r"), Path.of("/s/x-json.log"), List.of("sh", "-c", "echo a=b"))
                .env(List.of("PATH=/bin", "A=1=2"))
                .user(1000, 100).additionalGids(List.of(10, 20))
                .hostname("h").stdinOpen(true).logRotation(1024, 3)
                .namespaces(Set.of(Namespace.MNT, Namespace.PID))
                .maskedPaths(List.of("/proc/kcore")).readonlyPaths(List.of("/proc/sys"))
                .capabilities(Set.of(Capability.KILL, Capability.CHOWN))
                .build();

        assertThat(records(SpecFile.encode(spec))).containsExactly("version=1", "rootfs=/r", "log=/s/x-json.log",
                "log_max_size=1024", "log_max_file=3", "tty=0", "stdin=1", "hostname=h", "masked=/proc/kcore",
                "readonly=/proc/sys", "arg=sh", "arg=-c", "arg=echo a=b", "env=PATH=/bin", "env=A=1=2", "cwd=/",
                "uid=1000", "gid=100", "gids=10", "gids=20", "ns=pid", "ns=mnt", "cap=0", "cap=5", "no_new_privs=1");
    }

    @Test
    void builder_startsFromDockersDefaults() {
        ContainerSpec spec = ContainerSpec.builder(Path.of("/r"), Path.of("/l"), List.of("true")).build();

        assertThat(spec.namespaces()).containsExactlyInAnyOrder(Namespace.values());
        assertThat(spec.capabilities()).isEqualTo(Capability.DOCKER_DEFAULTS).hasSize(14);
        assertThat(spec.maskedPaths()).hasSize(11).contains("/proc/kcore", "/sys/firmware");
        assertThat(spec.readonlyPaths()).containsExactly("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");
        assertThat(spec.noNewPrivs()).isTrue();
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
    }

    @Test
    void encode_mountsAndReadonlyRoot_afterTheReadonlyPaths() {
        ContainerSpec spec = ContainerSpec.builder(Path.of("/r"), Path.of("/l"), List.of("true"))
                .maskedPaths(List.of()).readonlyPaths(List.of())
                .mounts(List.of(new SpecMount("bind", "/srv/a", "/a", List.of("ro")),
                        new SpecMount("tmpfs", "tmpfs", "/t", List.of("nosuid", "size=1m"))))
                .readonlyRootfs(true).build();

        assertThat(records(SpecFile.encode(spec))).containsSubsequence("mount=bind\t/srv/a\t/a\tro",
                "mount=tmpfs\ttmpfs\t/t\tnosuid,size=1m", "readonly_rootfs=1", "arg=true");
        assertThat(spec.toBuilder().build()).isEqualTo(spec);
        assertThat(records(SpecFile.encode(ContainerSpec.builder(Path.of("/r"), Path.of("/l"), List.of("true")).build())))
                .noneMatch(r -> r.startsWith("mount=") || r.startsWith("readonly_rootfs="));
    }

    @Test
    void specMount_refusesWhatTheShimCannotParse() {
        assertThatThrownBy(() -> new SpecMount("bind", "rel", "/a", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpecMount("bind", "/a", "/b/../c", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpecMount("bind", "/a\tb", "/b", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpecMount("bind", "/a", "/b", List.of("ro,rw"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SpecMount("overlay", "/a", "/b", List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encode_refusesNulInAValue() {
        ContainerSpec spec = ContainerSpec.builder(Path.of("/r"), Path.of("/l"), List.of("echo", "a\0b")).build();

        assertThatThrownBy(() -> SpecFile.encode(spec)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("arg must not contain a NUL byte");
    }

    @Test
    void spec_refusesNoCommand_andNoMountNamespace() {
        assertThatThrownBy(() -> ContainerSpec.builder(Path.of("/r"), Path.of("/l"), List.of()).build())
                .hasMessageContaining("needs a command");
        assertThatThrownBy(() -> ContainerSpec.builder(Path.of("/r"), Path.of("/l"), List.of("x"))
                .namespaces(Set.of(Namespace.PID)).build()).hasMessageContaining("mount namespace");
    }

    @Test
    void encodeExec_hasProcessRecordsAndCgroups() {
        ExecSpec exec = new ExecSpec(List.of("ps"), List.of(), "/tmp", 0, 0, List.of(), Set.of(Namespace.PID),
                Set.of(Capability.SETPCAP), false, List.of(Path.of("/sys/fs/cgroup/pids/x/cgroup.procs")));

        assertThat(records(SpecFile.encode(exec))).containsExactly("version=1", "arg=ps", "cwd=/tmp", "uid=0", "gid=0",
                "ns=pid", "cap=8", "no_new_privs=0", "cgroup=/sys/fs/cgroup/pids/x/cgroup.procs");
    }
}
