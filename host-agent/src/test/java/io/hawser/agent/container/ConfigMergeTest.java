package io.hawser.agent.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.image.ImageConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigMergeTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ImageConfig.RunConfig IMAGE = new ImageConfig.RunConfig("app", null, List.of("PATH=/img", "A=image"),
            List.of("/entry"), List.of("default-arg"), null, "/srv", Map.of("from", "image", "team", "image"), "SIGQUIT");

    /** The body docker CLI 28 sends for {@code docker run -e A=mine -l team=ops --restart on-failure:2 -m 32m bb:1 sh -c x}. */
    private static final String CLI_BODY = """
            {"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":true,"AttachStderr":true,
             "Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":["A=mine"],"Cmd":["sh","-c","x"],"Image":"bb:1",
             "Volumes":{},"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{"team":"ops"},
             "HostConfig":{"Binds":null,"ContainerIDFile":"","LogConfig":{"Type":"","Config":{}},"NetworkMode":"bridge",
               "PortBindings":{},"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":2},"AutoRemove":false,
               "Memory":33554432,"NanoCpus":500000000,"PidsLimit":null,"Mounts":null,"CapAdd":null,"CapDrop":null},
             "NetworkingConfig":{"EndpointsConfig":{}}}
            """;

    @Test
    void cliBody_parses() throws Exception {
        JsonNode body = MAPPER.readTree(CLI_BODY);
        ContainerConfig config = MAPPER.treeToValue(body, ContainerConfig.class);
        HostConfig hc = MAPPER.treeToValue(body.get("HostConfig"), HostConfig.class);
        assertThat(config.cmd()).containsExactly("sh", "-c", "x");
        assertThat(config.entrypoint()).isNull();
        assertThat(config.image()).isEqualTo("bb:1");
        assertThat(hc.memory()).isEqualTo(32 << 20);
        assertThat(hc.restartPolicy()).isEqualTo(new RestartPolicy("on-failure", 2));
        assertThat(hc.logConfig().type()).isEqualTo("json-file");
        assertThat(hc.pidsLimit()).isNull();
        assertThat(HostConfigCheck.check(hc, config)).isEmpty();
        assertThat(hc.resources().withDockerDefaults().memorySwap()).isEqualTo(64 << 20);
    }

    @Test
    void cmdAsAString_isAOneElementList() throws Exception {
        ContainerConfig config = MAPPER.readValue("{\"Image\":\"x\",\"Cmd\":\"ls\",\"Entrypoint\":\"\"}", ContainerConfig.class);
        assertThat(config.cmd()).containsExactly("ls");
        assertThat(config.entrypoint()).containsExactly("");
    }

    @Test
    void userCmd_keepsImageEntrypoint_andMergesEnvAndLabels() {
        ContainerConfig user = new ContainerConfig(null, null, null, false, false, false, null, false, false, false,
                List.of("A=mine", "B=2"), List.of("x"), "app:1", null, null, null, null, Map.of("team", "ops"), null, null);
        ConfigMerge.Merged m = ConfigMerge.merge(user, IMAGE, "abcdef012345");
        assertThat(m.path()).isEqualTo("/entry");
        assertThat(m.args()).containsExactly("x");
        assertThat(m.config().env()).containsExactly("A=mine", "B=2", "PATH=/img");
        assertThat(m.config().labels()).containsEntry("team", "ops").containsEntry("from", "image");
        assertThat(m.config().hostname()).isEqualTo("abcdef012345");
        assertThat(m.config().workingDir()).isEqualTo("/srv");
        assertThat(m.config().user()).isEqualTo("app");
        assertThat(m.config().stopSignal()).isEqualTo("SIGQUIT");
        assertThat(m.config().cmd()).containsExactly("x");
    }

    @Test
    void noCmd_takesTheImages() {
        ConfigMerge.Merged m = ConfigMerge.merge(ContainerConfig.ofImage("app:1", null), IMAGE, "h");
        assertThat(m.path()).isEqualTo("/entry");
        assertThat(m.args()).containsExactly("default-arg");
    }

    @Test
    void entrypointFlag_dropsTheImagesCmd() {
        ContainerConfig user = new ContainerConfig(null, null, null, false, false, false, null, false, false, false, null,
                null, "app:1", null, null, List.of("echo"), null, null, null, null);
        ConfigMerge.Merged m = ConfigMerge.merge(user, IMAGE, "h");
        assertThat(m.path()).isEqualTo("echo");
        assertThat(m.args()).isEmpty();
    }

    @Test
    void emptyEntrypoint_clearsIt_andNoCommandAtAllIsRefused() {
        ContainerConfig user = new ContainerConfig(null, null, null, false, false, false, null, false, false, false, null,
                List.of("ls", "-l"), "app:1", null, null, List.of(""), null, null, null, null);
        ConfigMerge.Merged m = ConfigMerge.merge(user, IMAGE, "h");
        assertThat(m.path()).isEqualTo("ls");
        assertThat(m.args()).containsExactly("-l");
        assertThatThrownBy(() -> ConfigMerge.merge(ContainerConfig.ofImage("x", null), ImageConfig.RunConfig.EMPTY, "h"))
                .hasMessage("No command specified");
    }

    @Test
    void environment_dockerdDefaultsFirst_containerEntriesReplaceByKey() {
        ContainerConfig cfg = ConfigMerge.merge(new ContainerConfig("box", null, null, false, false, false, null, true, false,
                false, List.of("PATH=/mine", "X=1"), List.of("sh"), "x", null, null, null, null, null, null, null),
                ImageConfig.RunConfig.EMPTY, "h").config();
        assertThat(ContainerRunner.env(cfg, "/root")).containsExactly("PATH=/mine", "HOSTNAME=box", "TERM=xterm", "X=1", "HOME=/root");
    }

    @Test
    void environment_anEntryWithoutEqualsUnsetsTheKey() {
        ContainerConfig cfg = ConfigMerge.merge(new ContainerConfig("box", null, null, false, false, false, null, false, false,
                false, List.of("X=1", "X", "NOT_ON_THE_CLIENT"), List.of("sh"), "x", null, null, null, null, null, null, null),
                ImageConfig.RunConfig.EMPTY, "h").config();
        assertThat(ContainerRunner.env(cfg, "/root")).containsExactly("PATH=" + ContainerRunner.DEFAULT_PATH, "HOSTNAME=box", "HOME=/root");
    }

    @Test
    void hostConfig_refusesWhatIsNotImplemented_andChecksLogOptions() throws Exception {
        HostConfig from = MAPPER.readValue("{\"VolumesFrom\":[\"other\"]}", HostConfig.class);
        ContainerConfig cfg = ContainerConfig.ofImage("x", List.of("true"));
        assertThatThrownBy(() -> HostConfigCheck.check(from, cfg)).hasMessageContaining("not supported yet");
        HostConfig binds = MAPPER.readValue("{\"Binds\":[\"/a:/b\"],\"ReadonlyRootfs\":true}", HostConfig.class);
        assertThat(HostConfigCheck.check(binds, cfg)).isEmpty(); // volumes and --read-only: supported
        HostConfig rm = MAPPER.readValue("{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"always\"}}", HostConfig.class);
        assertThatThrownBy(() -> HostConfigCheck.check(rm, cfg)).hasMessage("can't create 'AutoRemove' container with restart policy");
        assertThat(HostConfigCheck.logRotation(new HostConfig.LogConfig("json-file", Map.of("max-size", "10m", "max-file", "3"))))
                .isEqualTo(new HostConfigCheck.LogRotation(10L << 20, 3));
        assertThatThrownBy(() -> HostConfigCheck.logRotation(new HostConfig.LogConfig("syslog", Map.of())))
                .hasMessage("logger: no log driver named 'syslog' is registered");
        assertThatThrownBy(() -> HostConfigCheck.logRotation(new HostConfig.LogConfig("", Map.of("mode", "x"))))
                .hasMessage("unknown log opt 'mode' for json-file log driver");
        assertThat(HostConfigCheck.ramInBytes("1.5k")).isEqualTo(1536);
    }

    @Test
    void signals_namesAndNumbers() {
        assertThat(Signals.parse("SIGKILL")).isEqualTo(9);
        assertThat(Signals.parse("term")).isEqualTo(15);
        assertThat(Signals.parse("10")).isEqualTo(10);
        assertThat(Signals.parse("RTMIN+2")).isEqualTo(36);
        assertThatThrownBy(() -> Signals.parse("SIGNOPE")).hasMessage("Invalid signal: SIGNOPE");
        assertThatThrownBy(() -> Signals.parse("0")).hasMessage("Invalid signal: 0");
    }
}
