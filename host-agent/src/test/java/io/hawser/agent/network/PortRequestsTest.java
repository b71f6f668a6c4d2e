package io.hawser.agent.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PortRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void portBindings_asTheCliSendsThem() throws Exception {
        JsonNode b = json("""
                {"80/tcp":[{"HostIp":"127.0.0.1","HostPort":"8080"}],"53/udp":[{"HostIp":"","HostPort":""}],"81":null}""");
        assertThat(PortRequests.parse(b, false, null)).containsExactly(
                new PortMapping("tcp", 80, "127.0.0.1", 8080),
                new PortMapping("udp", 53, "0.0.0.0", 0),
                new PortMapping("tcp", 81, "", 0));
    }

    @Test
    void publishAll_addsEveryExposedPortNotBoundExplicitly() throws Exception {
        JsonNode b = json("{\"80/tcp\":[{\"HostIp\":\"\",\"HostPort\":\"9000\"}]}");
        assertThat(PortRequests.parse(b, true, Map.of("80/tcp", Map.of(), "443/tcp", Map.of()))).containsExactlyInAnyOrder(
                new PortMapping("tcp", 80, "", 9000), new PortMapping("tcp", 443, "", 0));
        assertThat(PortRequests.parse(null, false, Map.of("443/tcp", Map.of()))).isEmpty();
    }

    @Test
    void validate_refusesWhatTheProxyCannotDo() throws Exception {
        assertThatThrownBy(() -> PortRequests.validate(json("{\"80/sctp\":[{\"HostPort\":\"1\"}]}"))).hasMessageContaining("sctp");
        assertThatThrownBy(() -> PortRequests.validate(json("{\"80/tcp\":[{\"HostPort\":\"8000-8010\"}]}")))
                .hasMessageContaining("ranges");
        assertThatThrownBy(() -> PortRequests.validate(json("{\"80/tcp\":[{\"HostPort\":\"70000\"}]}")))
                .hasMessageContaining("invalid port specification");
        assertThatThrownBy(() -> PortRequests.validate(json("{\"0/tcp\":[]}"))).hasMessageContaining("invalid port specification");
        assertThatThrownBy(() -> PortRequests.validate(json("{\"80/tcp\":[{\"HostIp\":\"::1\",\"HostPort\":\"80\"}]}")))
                .hasMessageContaining("invalid IPv4");
    }
}
