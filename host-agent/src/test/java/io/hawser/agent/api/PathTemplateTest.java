package io.hawser.agent.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PathTemplateTest {

    @Test
    void literal_matchesOnlyItself() {
        PathTemplate t = new PathTemplate("/_ping");
        assertThat(t.match("/_ping")).contains(Map.of());
        assertThat(t.match("/_ping/")).isEmpty();
        assertThat(t.match("/_pin")).isEmpty();
        assertThat(t.match("_ping")).isEmpty();
    }

    @Test
    void variable_matchesOneNonEmptySegment() {
        PathTemplate t = new PathTemplate("/containers/{id}/json");
        assertThat(t.match("/containers/abc123/json")).contains(Map.of("id", "abc123"));
        assertThat(t.match("/containers//json")).isEmpty();
        assertThat(t.match("/containers/a/b/json")).isEmpty();
        assertThat(t.match("/containers/abc/logs")).isEmpty();
    }

    @Test
    void rest_matchesSlashesAndLeavesRoomForTheSuffix() {
        PathTemplate t = new PathTemplate("/images/{name:.*}/json");
        assertThat(t.match("/images/busybox/json")).contains(Map.of("name", "busybox"));
        assertThat(t.match("/images/registry:5000/library/busybox/json"))
                .contains(Map.of("name", "registry:5000/library/busybox"));
        assertThat(t.match("/images/json")).isEmpty();
        assertThat(new PathTemplate("/images/{name:.*}").match("/images/a/b")).contains(Map.of("name", "a/b"));
    }
}
