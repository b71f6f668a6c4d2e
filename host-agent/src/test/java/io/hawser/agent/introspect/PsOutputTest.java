package io.hawser.agent.introspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class PsOutputTest {

    private static final String EF = """
            UID        PID  PPID  C STIME TTY          TIME CMD
            root         1     0  0 22:14 ?        00:00:05 /sbin/init splash
            root      5488  5467  1 22:12 ?        00:00:00 busybox httpd -f -p 80
            root      5490  5488  0 22:12 ?        00:00:00 sleep 1000
            root      6000     1  0 22:12 ?        00:00:00 bash
            """;

    @Test
    void parse_keepsOnlyContainerPids_andJoinsTheCommandIntoTheLastColumn() {
        ProcessTable t = PsOutput.parse(EF, List.of(5488L, 5490L));
        assertThat(t.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        assertThat(t.processes()).containsExactly(
                List.of("root", "5488", "5467", "1", "22:12", "?", "00:00:00", "busybox httpd -f -p 80"),
                List.of("root", "5490", "5488", "0", "22:12", "?", "00:00:00", "sleep 1000"));
    }

    @Test
    void parse_threadLinesFollowTheProcessBeforeThem() {
        String out = """
                  PID TTY      STAT   TIME COMMAND
                    7 -        -      0:00 kept
                    - -        Sl     0:00 -
                    8 -        -      0:00 other
                    - -        Sl     0:00 -
                """;
        ProcessTable t = PsOutput.parse(out, List.of(7L));
        assertThat(t.processes()).containsExactly(
                List.of("7", "-", "-", "0:00", "kept"),
                List.of("-", "-", "Sl", "0:00", "-"));
    }

    @Test
    void parse_withoutPidColumn_failsAsDockerd() {
        assertThatThrownBy(() -> PsOutput.parse("USER COMMAND\nroot sh\n", List.of(1L)))
                .isInstanceOf(AgentException.class).hasMessage("Couldn't find PID field in ps output");
    }

    @Test
    void parse_nonNumericPid_fails() {
        assertThatThrownBy(() -> PsOutput.parse("PID CMD\nabc sh\n", List.of(1L)))
                .hasMessageStartingWith("Unexpected pid 'abc'");
    }

    @Test
    void fields_splitOnAsciiWhiteSpaceOnly() {
        assertThat(PsOutput.fields("  a\tb \u00a0c  ")).containsExactly("a", "b", "\u00a0c");
    }

    @Test
    void validateArgs_refusesRenamingAColumnToPid() {
        PsOutput.validateArgs("-o pid=PID,comm");
        assertThatThrownBy(() -> PsOutput.validateArgs("-o user=PID"))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_ARGUMENT))
                .hasMessage("specifying \"user=PID\" is not allowed");
    }

    @Test
    void top_runsPsWithSeparateArguments_andReportsItsError() {
        Ps ps = new Ps("ps");
        long self = ProcessHandle.current().pid();
        ProcessTable t = ps.top("-o pid,comm", List.of(self));
        assertThat(t.titles()).containsExactly("PID", "COMMAND");
        assertThat(t.processes()).containsExactly(List.of(String.valueOf(self), "java"));
        assertThat(ps.top("", List.of(self)).titles()).contains("UID", "PID", "CMD");
        // forest listings refuse -q: the retry without it still finds the process
        assertThat(ps.top("axf -o pid,comm", List.of(self)).processes()).hasSize(1);
        assertThatThrownBy(() -> ps.top("-bad", List.of(self)))
                .isInstanceOfSatisfying(AgentException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.SYSTEM))
                .hasMessage("ps: error: unsupported SysV option");
        assertThatThrownBy(() -> ps.top("-o comm", List.of(self))).hasMessage("Couldn't find PID field in ps output");
    }
}
