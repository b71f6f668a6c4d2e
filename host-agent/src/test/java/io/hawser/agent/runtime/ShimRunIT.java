package io.hawser.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.sys.HostInfo;
import io.hawser.agent.sys.JnrSyscalls;
import io.hawser.agent.sys.ShimBinary;
import io.hawser.agent.sys.Syscalls;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real shim running containers on the real kernel (as root): isolation, users, capabilities, exit
 * codes, the json-file log and its rotation, detaching, attach and exec. Every container is killed by
 * pid and waited for after each test; no mount may be left on the host.
 */
class ShimRunIT {

    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final String TIME = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z";

    @TempDir
    Path tmp;

    private final Syscalls sys = new JnrSyscalls();
    private final List<ShimProcess> launched = new ArrayList<>();
    private ShimLauncher launcher;
    private Path rootfs;
    private int counter;

    @BeforeEach
    void setUp() throws IOException {
        launcher = new ShimLauncher(ShimBinary.install(tmp, HostInfo.detect()).path());
        rootfs = BusyboxRootfs.create(tmp.resolve("rootfs"));
    }

    @AfterEach
    void killLeftoversAndCheckMounts() throws Exception {
        for (ShimProcess shim : launched) {
            // Only the shim's own child: after a pid was reused it would be someone else's process.
            if (shim.isShimAlive() && parentPid(shim.initPid()).equals(String.valueOf(shim.shimPid()))) {
                sys.kill(shim.initPid(), 9);
            }
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (shim.isShimAlive() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(shim.isShimAlive()).as("shim %d gone", shim.shimPid()).isFalse();
        }
        assertThat(Files.readAllLines(Path.of("/proc/self/mounts"))).noneMatch(l -> l.contains(tmp.toString()));
    }

    private record Ran(ShimProcess shim, ExitStatus exit, List<LogRecord> log) {
        String stdout() {
            return log.stream().filter(r -> r.stream().equals("stdout")).map(LogRecord::log).collect(Collectors.joining());
        }

        String stderr() {
            return log.stream().filter(r -> r.stream().equals("stderr")).map(LogRecord::log).collect(Collectors.joining());
        }
    }

    private Path newStateDir() throws IOException {
        return Files.createDirectories(tmp.resolve("c" + ++counter));
    }

    private ShimProcess start(Path dir, ContainerSpec spec, BeforeStart hook) {
        ShimProcess shim;
        try {
            shim = launcher.launch(dir, spec, hook);
        } catch (RuntimeException e) {
            ShimProcess.find(dir).ifPresent(launched::add); // a shim may still run (and record the exit)
            throw e;
        }
        launched.add(shim);
        return shim;
    }

    private ContainerSpec.Builder spec(Path dir, String... args) {
        return ContainerSpec.builder(rootfs, dir.resolve("c-json.log"), List.of(args))
                .env(List.of("PATH=/bin", "HOME=/root"))
                .hostname("hawser-test");
    }

    private Ran run(UnaryOperator<ContainerSpec.Builder> customize, String... args) throws Exception {
        Path dir = newStateDir();
        ShimProcess shim = start(dir, customize.apply(spec(dir, args)).build(), BeforeStart.NOTHING);
        ExitStatus exit = shim.awaitExit(DEADLINE);
        return new Ran(shim, exit, LogRecord.readAll(dir.resolve("c-json.log")));
    }

    private Ran run(String... args) throws Exception {
        return run(b -> b, args);
    }

    @Test
    void ps_seesOnlyTheContainersOwnProcesses_withTheCommandAsPid1() throws Exception {
        Ran r = run("ps", "-o", "pid,comm");

        assertThat(r.exit().code()).isZero();
        assertThat(r.stdout().lines().map(String::strip).toList()).containsExactly("PID   COMMAND", "1 ps");
    }

    @Test
    void hostname_isTheContainersOwn() throws Exception {
        String hostBefore = Files.readString(Path.of("/proc/sys/kernel/hostname"));

        Ran r = run("hostname");

        assertThat(r.stdout()).isEqualTo("hawser-test\n");
        assertThat(Files.readString(Path.of("/proc/sys/kernel/hostname"))).isEqualTo(hostBefore);
    }

    @Test
    void maskedPaths_readEmpty_andProcSysIsReadOnly() throws Exception {
        assertThat(Files.readAllBytes(Path.of("/proc/timer_list"))).as("the host's timer_list has content").isNotEmpty();

        Ran r = run("sh", "-c", "cat /proc/kcore | wc -c; cat /proc/timer_list | wc -c; cat /proc/keys | wc -c;"
                + " ls -A /sys/firmware | wc -l; echo x > /proc/sys/kernel/hostname; echo write=$?;"
                + " grep -c ' /sys sysfs ro,' /proc/mounts");

        assertThat(r.stdout()).isEqualTo("0\n0\n0\n0\nwrite=1\n1\n");
        assertThat(r.stderr()).contains("Read-only file system");
    }

    @Test
    void capabilities_areDockersDefaults_withEmptyInheritable_andNoNewPrivs() throws Exception {
        Ran r = run("grep", "-E", "^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):", "/proc/self/status");

        assertThat(Long.toHexString(Capability.mask(Capability.DOCKER_DEFAULTS))).isEqualTo("a80425fb");
        assertThat(r.stdout()).isEqualTo("CapInh:\t0000000000000000\nCapPrm:\t00000000a80425fb\n"
                + "CapEff:\t00000000a80425fb\nCapBnd:\t00000000a80425fb\nCapAmb:\t0000000000000000\nNoNewPrivs:\t1\n");
    }

    @Test
    void hostFilesOutsideTheRoot_areUnreachable() throws Exception {
        Path marker = Files.writeString(tmp.resolve("marker-outside-root-7f3a"), "secret");

        Ran r = run("sh", "-c", "find / -name 'marker-outside-root-*' 2>/dev/null | grep -v '^/proc/'; cat " + marker
                + " || echo unreachable");

        assertThat(r.stdout()).isEqualTo("unreachable\n");
    }

    @Test
    void onlyStdioDescriptors_reachTheContainer() throws Exception {
        Ran r = run("ls", "/proc/self/fd");

        assertThat(r.stdout()).isEqualTo("0\n1\n2\n3\n"); // 3 is the directory ls itself opened
    }

    @Test
    void userAndGroups_areSwitched_andANonRootUserHasNoEffectiveCapabilities() throws Exception {
        Ran r = run(b -> b.user(65534, 65534).additionalGids(List.of(10, 20)),
                "sh", "-c", "id; grep -E '^Cap(Eff|Bnd):' /proc/self/status");

        assertThat(r.stdout()).isEqualTo("uid=65534(nobody) gid=65534(nogroup) groups=10,20\n"
                + "CapEff:\t0000000000000000\nCapBnd:\t00000000a80425fb\n");
    }

    @Test
    void exitCodes_areTheCommandsOwn_or128PlusTheSignal() throws Exception {
        ExitStatus three = run("sh", "-c", "exit 3").exit();
        // Killed from the host: inside its pid namespace even SIGKILL to pid 1 is ignored (pid_namespaces(7)).
        Path dir = newStateDir();
        ShimProcess sleeper = start(dir, spec(dir, "sleep", "1000").build(), BeforeStart.NOTHING);
        sys.kill(sleeper.initPid(), 9);
        ExitStatus killed = sleeper.awaitExit(DEADLINE);

        assertThat(three.code()).isEqualTo(3);
        assertThat(three.signal()).isZero();
        assertThat(killed.code()).isEqualTo(137);
        assertThat(killed.signal()).isEqualTo(9);
    }

    @Test
    void missingCommand_isReportedBeforeStart_as127() throws Exception {
        Path dir = newStateDir();

        assertThatThrownBy(() -> start(dir, spec(dir, "no-such-command").build(), BeforeStart.NOTHING))
                .isInstanceOfSatisfying(ShimStartException.class, e -> {
                    assertThat(e.stage()).isEqualTo("exec");
                    assertThat(e.errno()).isEqualTo(Syscalls.ENOENT);
                    assertThat(e.exitCode()).isEqualTo(127);
                    assertThat(e.getMessage()).contains("\"no-such-command\"").contains("No such file or directory");
                });
        assertThat(ShimProcess.find(dir).orElseThrow().awaitExit(DEADLINE).code()).isEqualTo(127);
    }

    @Test
    void nonExecutableCommand_isReportedBeforeStart_as126() throws Exception {
        Path dir = newStateDir();

        assertThatThrownBy(() -> start(dir, spec(dir, "/etc/passwd").build(), BeforeStart.NOTHING))
                .isInstanceOfSatisfying(ShimStartException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Syscalls.EACCES);
                    assertThat(e.exitCode()).isEqualTo(126);
                });
        assertThat(ShimProcess.find(dir).orElseThrow().awaitExit(DEADLINE).code()).isEqualTo(126);
    }

    @Test
    void log_isDockersJsonFileFormat_withStdoutAndStderrApart() throws Exception {
        Ran r = run("sh", "-c", "echo out1; echo err1 >&2; echo out2; printf 'q\"b\\\\s<\\t>\\n'; printf partial");

        assertThat(r.log()).allSatisfy(rec -> {
            assertThat(rec.time()).matches(TIME);
            assertThat(rec.rawLine()).matches("\\{\"log\":\".*\",\"stream\":\"(stdout|stderr)\",\"time\":\"" + TIME + "\"}");
        });
        assertThat(r.log().stream().filter(x -> x.stream().equals("stdout")).map(LogRecord::log))
                .containsExactly("out1\n", "out2\n", "q\"b\\s<\t>\n", "partial");
        assertThat(r.log().stream().filter(x -> x.stream().equals("stderr")).map(LogRecord::log)).containsExactly("err1\n");
        assertThat(r.log()).anySatisfy(rec -> assertThat(rec.rawLine())
                .startsWith("{\"log\":\"q\\\"b\\\\s\\u003c\\u0009\\u003e\\n\",\"stream\":\"stdout\""));
    }

    @Test
    void log_splitsLinesLongerThan16KiB_intoAPartialRecordAndTheRest() throws Exception {
        Ran r = run("sh", "-c", "printf '%20000s\\n' x");

        assertThat(r.log()).hasSize(2);
        assertThat(r.log().get(0).log()).hasSize(16384).doesNotContain("\n");
        assertThat(r.log().get(1).log()).hasSize(20001 - 16384).endsWith("x\n");
    }

    @Test
    void log_rotates_keepingMaxFileFiles() throws Exception {
        Path dir = newStateDir();
        ContainerSpec spec = spec(dir, "sh", "-c", "i=0; while [ $i -lt 300 ]; do echo line-$i; i=$((i+1)); done")
                .logRotation(2000, 3).build();

        ShimProcess shim = start(dir, spec, BeforeStart.NOTHING);
        assertThat(shim.awaitExit(DEADLINE).code()).isZero();

        Path log = dir.resolve("c-json.log");
        assertThat(log.resolveSibling("c-json.log.1")).exists();
        assertThat(log.resolveSibling("c-json.log.2")).exists();
        assertThat(log.resolveSibling("c-json.log.3")).doesNotExist();
        for (Path f : List.of(log, log.resolveSibling("c-json.log.1"), log.resolveSibling("c-json.log.2"))) {
            assertThat(Files.size(f)).isLessThan(2000 + 200); // rotated once it held 2000 bytes or more
        }
        List<String> lines = LogRecord.readAll(log.resolveSibling("c-json.log.2"), log.resolveSibling("c-json.log.1"), log)
                .stream().map(LogRecord::log).toList();
        int first = Integer.parseInt(lines.get(0).strip().substring(5));
        assertThat(first).isPositive(); // older lines were rotated away
        List<String> expected = new ArrayList<>();
        for (int i = first; i < 300; i++) {
            expected.add("line-" + i + "\n");
        }
        assertThat(lines).isEqualTo(expected);
    }

    @Test
    void shimIsDetached_keepsLoggingWithoutAnAgent_andIsReadoptedFromItsStateFiles() throws Exception {
        Path dir = newStateDir();
        ContainerSpec spec = spec(dir, "sh", "-c", "i=0; while [ $i -lt 20 ]; do echo tick-$i; i=$((i+1)); sleep 0.05; done")
                .build();

        ShimProcess shim = start(dir, spec, BeforeStart.NOTHING);

        ProcessHandle self = ProcessHandle.current();
        assertThat(ProcessHandle.of(shim.shimPid()).flatMap(ProcessHandle::parent).map(ProcessHandle::pid))
                .isNotEqualTo(java.util.Optional.of(self.pid()));
        assertThat(sessionId(shim.shimPid())).isNotEqualTo(sessionId((int) self.pid()));
        // The agent "restarts": all it has is the state directory.
        ShimProcess readopted = ShimProcess.find(dir).orElseThrow();
        assertThat(readopted.shimPid()).isEqualTo(shim.shimPid());
        assertThat(readopted.initPid()).isEqualTo(shim.initPid());
        assertThat(readopted.isRunning()).isTrue();

        assertThat(readopted.awaitExit(DEADLINE).code()).isZero();
        assertThat(LogRecord.readAll(dir.resolve("c-json.log"))).hasSize(20);
        assertThat(readopted.isRunning()).isFalse();
    }

    @Test
    void attach_deliversLiveOutputInFrames_andStdinUntilTheClientClosesIt() throws Exception {
        Path dir = newStateDir();
        ContainerSpec spec = spec(dir, "sh", "-c", "cat; echo done >&2").stdinOpen(true).build();
        SocketChannel[] client = new SocketChannel[1];

        ShimProcess shim = start(dir, spec, initPid -> client[0] = connect(dir.resolve(ShimProcess.ATTACH_SOCKET)));
        try (SocketChannel ch = client[0]) {
            ch.write(ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)));
            InputStream in = Channels.newInputStream(ch);
            AttachFrame echoed = AttachFrame.read(in);
            assertThat(echoed.stream()).isEqualTo(AttachFrame.STDOUT);
            assertThat(new String(echoed.payload(), StandardCharsets.UTF_8)).isEqualTo("hello\n");

            ch.shutdownOutput(); // closes cat's stdin

            AttachFrame done = AttachFrame.read(in);
            assertThat(done.stream()).isEqualTo(AttachFrame.STDERR);
            assertThat(new String(done.payload(), StandardCharsets.UTF_8)).isEqualTo("done\n");
            assertThat(AttachFrame.read(in)).isNull();
        }
        assertThat(shim.awaitExit(DEADLINE).code()).isZero();
        assertThat(LogRecord.readAll(dir.resolve("c-json.log")).stream().map(LogRecord::log)).containsExactly("hello\n", "done\n");
    }

    @Test
    void attach_aClientThatNeverReads_isDropped_andNeverHoldsTheContainerUp() throws Exception {
        Path dir = newStateDir();
        ContainerSpec spec = spec(dir, "sh", "-c", "yes abcd | head -c 2000000").build();
        SocketChannel[] client = new SocketChannel[1];

        ShimProcess shim = start(dir, spec, initPid -> client[0] = connect(dir.resolve(ShimProcess.ATTACH_SOCKET)));
        try (SocketChannel ch = client[0]) {
            assertThat(shim.awaitExit(DEADLINE).code()).isZero();

            long received = 0;
            InputStream in = Channels.newInputStream(ch);
            for (AttachFrame f; (f = AttachFrame.read(in)) != null;) {
                received += f.payload().length;
            }
            assertThat(received).isLessThan(2_000_000);
        }
        try (var lines = Files.lines(dir.resolve("c-json.log"))) {
            assertThat(lines.count()).isEqualTo(2_000_000 / 5);
        }
        assertThat(dir.resolve(ShimProcess.SHIM_LOG)).content().contains("dropping client: too far behind the output");
    }

    @Test
    void tty_givesTheContainerATerminal() throws Exception {
        Ran r = run(b -> b.tty(true), "sh", "-c", "echo hi; [ -t 0 ] && [ -t 1 ] && echo is-a-tty");

        assertThat(r.stdout()).isEqualTo("hi\r\nis-a-tty\r\n");
    }

    @Test
    void exec_joinsTheContainersNamespaces() throws Exception {
        Path dir = newStateDir();
        ShimProcess shim = start(dir, spec(dir, "sleep", "1000").build(), BeforeStart.NOTHING);

        Process hostname = launcher.exec(shim, ExecSpec.of(List.of("hostname"), List.of("PATH=/bin")), dir.resolve("exec1.spec"));
        assertThat(new String(hostname.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hawser-test\n");
        assertThat(hostname.waitFor()).isZero();
        Process ps = launcher.exec(shim, ExecSpec.of(List.of("ps", "-o", "pid,args"), List.of("PATH=/bin")), dir.resolve("exec2.spec"));
        List<String> procs = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip).toList();
        assertThat(procs).contains("1 sleep 1000").anyMatch(l -> l.endsWith("ps -o pid,args")).hasSize(3);
        // after ps: a concurrent exec's forked child would be in its list
        Process missing = launcher.exec(shim, ExecSpec.of(List.of("nope"), List.of("PATH=/bin")), dir.resolve("exec3.spec"));
        assertThat(missing.waitFor()).isEqualTo(127);
        // a failure of the forked command is shown as dockerd shows a failed exec (exec.c report_failure)
        assertThat(new String(missing.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .startsWith("OCI runtime exec failed: exec failed: unable to start container process: exec \"nope\"");

        sys.kill(shim.initPid(), 9); // SIGTERM would do nothing: pid 1 ignores signals it has no handler for
        assertThat(shim.awaitExit(DEADLINE).code()).isEqualTo(137);
    }

    @Test
    void exec_refusesAPidThatIsNoLongerTheContainersInit() throws Exception {
        Path dir = newStateDir();
        ShimProcess shim = start(dir, spec(dir, "sleep", "1000").build(), BeforeStart.NOTHING);
        long start = Long.parseLong(Files.readString(dir.resolve(ShimLauncher.INIT_START)).strip());
        // As if the init had exited and its pid now belonged to a process started at another time.
        Files.writeString(dir.resolve(ShimLauncher.INIT_START), (start + 1) + "\n");

        Process p = launcher.exec(shim, ExecSpec.of(List.of("hostname"), List.of("PATH=/bin")), dir.resolve("exec.spec"));

        assertThat(p.waitFor()).isEqualTo(1);
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEmpty();
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("is no longer the container's init");
        sys.kill(shim.initPid(), 9);
        shim.awaitExit(DEADLINE);
    }

    @Test
    void stateDirAndSpec_arePrivate_evenWithAPermissiveUmask() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("open"));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));

        ShimProcess shim = start(dir, spec(dir, "echo").env(List.of("PATH=/bin", "DB_PASSWORD=secret")).build(), BeforeStart.NOTHING);
        shim.awaitExit(DEADLINE);

        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(SpecFile.FILE_NAME))))
                .isEqualTo("rw-------");
    }

    @Test
    void container_doesNotInheritTheAgentsOomScoreOrIgnoredSignals() throws Exception {
        // A wrapper plays an agent started with oom_score_adj 500 and SIGHUP/SIGINT ignored.
        Path wrapper = tmp.resolve("agent-like-shim");
        Files.writeString(wrapper, "#!/bin/sh\necho 500 > /proc/self/oom_score_adj\ntrap '' HUP INT\nexec "
                + ShimBinary.install(tmp, HostInfo.detect()).path() + " \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        launcher = new ShimLauncher(wrapper);

        Ran r = run("grep", "-E", "^Sig(Blk|Ign):", "/proc/self/status", "/proc/self/oom_score_adj");

        assertThat(r.stdout()).isEqualTo("/proc/self/status:SigBlk:\t0000000000000000\n/proc/self/status:SigIgn:\t0000000000000000\n");
        Ran oom = run("cat", "/proc/self/oom_score_adj");
        assertThat(oom.stdout()).isEqualTo("0\n");
    }

    @Test
    void beforeStartFailing_killsTheInitBeforeItRuns() throws Exception {
        Path dir = newStateDir();
        int[] seen = new int[1];

        assertThatThrownBy(() -> start(dir, spec(dir, "sh", "-c", "echo should-not-run").build(), pid -> {
            seen[0] = pid;
            throw new IllegalStateException("cgroup setup failed");
        })).isInstanceOf(IllegalStateException.class);

        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (sys.processExists(seen[0]) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(sys.processExists(seen[0])).isFalse();
        assertThat(Files.readString(dir.resolve("c-json.log"))).isEmpty();
        assertThat(dir.resolve(ExitStatus.FILE_NAME)).doesNotExist();
    }

    private static SocketChannel connect(Path socket) {
        try {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(socket));
            return ch;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sessionId(int pid) throws IOException {
        return statField(pid, 3);
    }

    private static String parentPid(int pid) {
        try {
            return statField(pid, 1);
        } catch (IOException e) {
            return "gone";
        }
    }

    /** Fields of /proc/PID/stat after the command name: 0 state, 1 ppid, 2 pgrp, 3 session. */
    private static String statField(int pid, int index) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ")[index];
    }
}
