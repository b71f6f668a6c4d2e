package io.hawser.console.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The rows the inventory keeps, from the Engine API's own JSON as an agent (or dockerd) sends it. */
class InventoryRowsTest {

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void containerRow_fromAContainerSummary() throws Exception {
        ContainerRow row = ContainerRow.fromDocker(json.readTree("""
                {"Id":"4f1c2d","Names":["/web"],"Image":"busybox","ImageID":"sha256:abc","Command":"sleep 60",
                 "Created":1700000000,"State":"running","Status":"Up 2 minutes",
                 "Labels":{"team":"ops"},"Ports":[{"PrivatePort":80,"PublicPort":8080,"Type":"tcp"}]}"""));
        assertThat(row.id()).isEqualTo("4f1c2d");
        assertThat(row.name()).isEqualTo("web");
        assertThat(row.image()).isEqualTo("busybox");
        assertThat(row.imageId()).isEqualTo("sha256:abc");
        assertThat(row.state()).isEqualTo("running");
        assertThat(row.created()).isEqualTo(Instant.ofEpochSecond(1_700_000_000));
        assertThat(json.readTree(row.labelsJson()).path("team").asText()).isEqualTo("ops");
        assertThat(json.readTree(row.portsJson()).path(0).path("PublicPort").asInt()).isEqualTo(8080);
    }

    @Test
    void containerRow_withNullsAndNoName() throws Exception {
        ContainerRow row = ContainerRow.fromDocker(json.readTree("{\"Id\":\"0123456789abcdef\",\"Labels\":null,\"Ports\":null}"));
        assertThat(row.name()).isEqualTo("0123456789ab");
        assertThat(row.labelsJson()).isEqualTo("{}");
        assertThat(row.portsJson()).isEqualTo("[]");
        assertThat(row.created()).isNull();
        assertThatThrownBy(() -> ContainerRow.fromDocker(json.readTree("{}"))).hasMessageContaining("without an Id");
    }

    @Test
    void imageRow_andFleetEvent() throws Exception {
        ImageRow image = ImageRow.fromDocker(json.readTree("""
                {"Id":"sha256:1","RepoTags":["busybox:latest","b:1"],"Size":123,"Created":1700000001,"Labels":null}"""));
        assertThat(image.repoTags()).containsExactly("busybox:latest", "b:1");
        assertThat(image.size()).isEqualTo(123L);
        assertThat(image.labelsJson()).isEqualTo("{}");

        FleetEvent event = FleetEvent.fromDocker(json.readTree("""
                {"Type":"image","Action":"import","Actor":{"ID":"sha256:1","Attributes":{"name":"sha256:1"}},
                 "scope":"local","time":1700000002,"timeNano":1700000002123456789}"""));
        assertThat(event.type()).isEqualTo("image");
        assertThat(event.action()).isEqualTo("import");
        assertThat(event.actorId()).isEqualTo("sha256:1");
        assertThat(event.time()).isEqualTo(Instant.ofEpochSecond(1_700_000_002, 123_456_789));
        assertThat(FleetEvent.fromDocker(json.readTree("{\"Type\":\"container\",\"Action\":\"start\",\"time\":5}")).timeNano())
                .isEqualTo(5_000_000_000L);
    }
}
