package io.hawser.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void parse_noArguments_givesTheDefaults() throws Exception {
        CommandLine.Parsed p = CommandLine.parse();
        assertThat(p.help()).isFalse();
        assertThat(p.config()).isEqualTo(new AgentConfig(Path.of("/var/lib/hawser"), Path.of("/run/hawser/hawser.sock")));
    }

    @Test
    void parse_acceptsSpaceAndEqualsForms() throws Exception {
        AgentConfig c = CommandLine.parse("--data-root", "/tmp/d", "--socket=/tmp/s/agent.sock").config();
        assertThat(c.dataRoot()).isEqualTo(Path.of("/tmp/d"));
        assertThat(c.socket()).isEqualTo(Path.of("/tmp/s/agent.sock"));
    }

    @Test
    void parse_execRootAndCgroupParent() throws Exception {
        AgentConfig d = CommandLine.parse().config();
        assertThat(d.execRoot()).isEqualTo(AgentConfig.DEFAULT_EXEC_ROOT);
        assertThat(d.cgroupParent()).isEqualTo("hawser");
        AgentConfig c = CommandLine.parse("--exec-root", "/tmp/r", "--cgroup-parent=ci").config();
        assertThat(c.execRoot()).isEqualTo(java.nio.file.Path.of("/tmp/r"));
        assertThat(c.cgroupParent()).isEqualTo("ci");
        assertThat(CommandLine.parse("--run-dir=/tmp/q").config().execRoot()).isEqualTo(java.nio.file.Path.of("/tmp/q"));
    }

    @Test
    void parse_makesRelativePathsAbsolute() throws Exception {
        AgentConfig c = CommandLine.parse("--data-root", "data").config();
        assertThat(c.dataRoot()).isEqualTo(Path.of("").toAbsolutePath().resolve("data"));
    }

    @Test
    void parse_help_winsOverEverythingElse() throws Exception {
        assertThat(CommandLine.parse("--socket", "/x", "--help").help()).isTrue();
        assertThat(CommandLine.parse("-h").help()).isTrue();
    }

    @Test
    void parse_rejectsUnknownFlagsMissingValuesAndArguments() {
        assertThatThrownBy(() -> CommandLine.parse("--debug")).isInstanceOf(CommandLine.UsageException.class)
                .hasMessage("unknown flag: --debug");
        assertThatThrownBy(() -> CommandLine.parse("--socket")).hasMessage("flag --socket needs a value");
        assertThatThrownBy(() -> CommandLine.parse("--data-root=")).hasMessage("flag --data-root needs a non-empty value");
        assertThatThrownBy(() -> CommandLine.parse("serve")).hasMessageStartingWith("unexpected argument: serve");
    }

    @Test
    void parse_consoleUrlAndJoinToken() throws Exception {
        AgentConfig c = CommandLine.parse("--console-url", "http://127.0.0.1:8080", "--join-token=abc").config();
        assertThat(c.consoleUrl()).hasToString("http://127.0.0.1:8080");
        assertThat(c.joinToken()).isEqualTo("abc");
        assertThat(CommandLine.parse().config().consoleUrl()).isNull();
        assertThatThrownBy(() -> CommandLine.parse("--join-token", "abc")).hasMessage("flag --join-token (or HAWSER_JOIN_TOKEN) needs --console-url");
        assertThatThrownBy(() -> CommandLine.parse("--console-url", "ftp://x")).hasMessageStartingWith("flag --console-url needs an http");
    }

    @Test
    void parse_takesTheJoinTokenFromTheEnvironment_unlessTheFlagGivesOne() throws Exception {
        var env = java.util.Map.of("HAWSER_JOIN_TOKEN", " env-token ");
        assertThat(CommandLine.parse(env, "--console-url", "http://127.0.0.1:8080").config().joinToken())
                .isEqualTo("env-token");
        assertThat(CommandLine.parse(env, "--console-url", "http://127.0.0.1:8080", "--join-token", "flag-token")
                .config().joinToken()).isEqualTo("flag-token");
        assertThat(CommandLine.parse(java.util.Map.of(), "--console-url", "http://127.0.0.1:8080").config().joinToken())
                .isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CommandLine.parse(env))
                .hasMessageContaining("HAWSER_JOIN_TOKEN) needs --console-url");
    }
}
