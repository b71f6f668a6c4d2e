package io.hawser.console.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunSpecTest {

    private static RunSpec spec(List<String> env, List<String> ports, List<String> volumes, String memory, Double cpus,
                                String restart) {
        return new RunSpec("busybox:1", "web-1", List.of("sh", "-c", "echo hi"), env, ports, volumes, memory, cpus, restart);
    }

    @Test
    void toCreateBody_translatesEveryField_asDockerRunWould() {
        JsonNode body = spec(List.of("A=1", "DB_PASSWORD=hunter2"), List.of("8080:80", "127.0.0.1:5353:53/udp", "9000:80"),
                List.of("/srv/data:/data:ro", "cache:/var/cache"), "64m", 0.5, "on-failure:3").toCreateBody();
        assertThat(body.path("Image").asText()).isEqualTo("busybox:1");
        assertThat(body.path("Cmd").toString()).isEqualTo("[\"sh\",\"-c\",\"echo hi\"]");
        assertThat(body.path("Env").toString()).isEqualTo("[\"A=1\",\"DB_PASSWORD=hunter2\"]");
        assertThat(body.path("ExposedPorts").toString()).isEqualTo("{\"80/tcp\":{},\"53/udp\":{}}");
        JsonNode host = body.path("HostConfig");
        assertThat(host.path("PortBindings").toString()).isEqualTo("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"8080\"},"
                + "{\"HostIp\":\"\",\"HostPort\":\"9000\"}],\"53/udp\":[{\"HostIp\":\"127.0.0.1\",\"HostPort\":\"5353\"}]}");
        assertThat(host.path("Binds").toString()).isEqualTo("[\"/srv/data:/data:ro\",\"cache:/var/cache\"]");
        assertThat(host.path("Memory").asLong()).isEqualTo(64L << 20);
        assertThat(host.path("NanoCpus").asLong()).isEqualTo(500_000_000L);
        assertThat(host.path("RestartPolicy").toString()).isEqualTo("{\"Name\":\"on-failure\",\"MaximumRetryCount\":3}");
    }

    @Test
    void badFields_areRefused_withTheFieldNamed() {
        assertThatThrownBy(() -> new RunSpec(" ", null, null, null, null, null, null, null, null).toCreateBody())
                .hasMessageStartingWith("image");
        assertThatThrownBy(() -> new RunSpec("busybox", "-x", null, null, null, null, null, null, null).toCreateBody())
                .hasMessageStartingWith("name");
        assertThatThrownBy(() -> spec(List.of("1A=x"), null, null, null, null, null).toCreateBody()).hasMessageStartingWith("env");
        assertThatThrownBy(() -> spec(List.of("NOVALUE"), null, null, null, null, null).toCreateBody()).hasMessageStartingWith("env");
        assertThatThrownBy(() -> spec(null, List.of("80"), null, null, null, null).toCreateBody()).hasMessageStartingWith("ports");
        assertThatThrownBy(() -> spec(null, List.of("80:70000"), null, null, null, null).toCreateBody()).hasMessageStartingWith("ports");
        assertThatThrownBy(() -> spec(null, List.of("80:0"), null, null, null, null).toCreateBody()).hasMessageStartingWith("ports");
        assertThatThrownBy(() -> spec(null, null, List.of("data"), null, null, null).toCreateBody()).hasMessageStartingWith("volumes");
        assertThatThrownBy(() -> spec(null, null, List.of("../x:/data"), null, null, null).toCreateBody()).hasMessageStartingWith("volumes");
        assertThatThrownBy(() -> spec(null, null, List.of("/x:data"), null, null, null).toCreateBody()).hasMessageStartingWith("volumes");
        assertThatThrownBy(() -> spec(null, null, List.of("/x:/data:rx"), null, null, null).toCreateBody()).hasMessageStartingWith("volumes");
        assertThatThrownBy(() -> spec(null, null, null, "lots", null, null).toCreateBody()).hasMessageStartingWith("memory");
        assertThatThrownBy(() -> spec(null, null, null, "1k", null, null).toCreateBody()).hasMessageStartingWith("memory");
        assertThatThrownBy(() -> spec(null, null, null, null, 0.0, null).toCreateBody()).hasMessageStartingWith("cpus");
        assertThatThrownBy(() -> spec(null, null, null, null, null, "sometimes").toCreateBody()).hasMessageStartingWith("restart");
        assertThatThrownBy(() -> spec(null, null, null, null, null, "always:3").toCreateBody()).hasMessageStartingWith("restart");
    }

    @Test
    void memoryBytes_usesBinaryUnits() {
        assertThat(RunSpec.memoryBytes("1g")).isEqualTo(1L << 30);
        assertThat(RunSpec.memoryBytes("512M")).isEqualTo(512L << 20);
        assertThat(RunSpec.memoryBytes("7340032")).isEqualTo(7L << 20);
        assertThat(RunSpec.memoryBytes("8192k")).isEqualTo(8L << 20);
    }

    @Test
    void auditDetails_keepEnvKeysOnly() {
        String details = spec(List.of("DB_PASSWORD=hunter2", "MODE=fast"), null, null, null, null, null).auditDetails();
        assertThat(details).contains("DB_PASSWORD=…", "MODE=…").doesNotContain("hunter2", "fast");
    }

    @Test
    void splitCommand_splitsAsAShellDoes() {
        assertThat(RunSpec.splitCommand("sh -c 'echo a  b' \"x \\\"y\\\"\" z\\ w")).containsExactly("sh", "-c", "echo a  b", "x \"y\"", "z w");
        assertThat(RunSpec.splitCommand("  ")).isEmpty();
        assertThat(RunSpec.splitCommand("''")).containsExactly("");
        assertThatThrownBy(() -> RunSpec.splitCommand("echo 'open")).hasMessageStartingWith("command");
    }
}
