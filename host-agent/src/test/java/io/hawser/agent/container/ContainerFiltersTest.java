package io.hawser.agent.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContainerFiltersTest {

    private static final String IMAGE_ID = "sha256:" + "b".repeat(64);
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private static ContainerRecord record(String id, String name, ContainerState state, Map<String, String> labels, Instant created) {
        ContainerConfig cfg = new ContainerConfig(null, null, null, false, false, false, null, false, false, false, null,
                List.of("true"), "bb:1", null, null, null, null, labels, null, null);
        return new ContainerRecord(id.repeat(64).substring(0, 64), created, name, IMAGE_ID, "true", List.of(), cfg,
                HostConfig.defaults(), state, 0, false);
    }

    private static ContainerFilters filters(Map<String, Set<String>> f) {
        return new ContainerFilters(f, x -> Optional.empty(), x -> Optional.empty());
    }

    private final ContainerRecord web = record("a", "web", ContainerState.created().running(5, T), Map.of("team", "ops"), T);
    private final ContainerRecord done = record("c", "job", ContainerState.created().running(6, T).exited(3, false, "", T), Map.of(), T);

    @Test
    void nameIdLabelStatusExited() {
        assertThat(filters(Map.of("name", Set.of("we"))).matches(web)).isTrue();
        assertThat(filters(Map.of("name", Set.of("^/web$"))).matches(web)).isTrue();
        assertThat(filters(Map.of("name", Set.of("^web"))).matches(web)).isFalse();
        assertThat(filters(Map.of("id", Set.of("aaaa"))).matches(web)).isTrue();
        assertThat(filters(Map.of("id", Set.of("cc"))).matches(web)).isFalse();
        assertThat(filters(Map.of("label", Set.of("team"))).matches(web)).isTrue();
        assertThat(filters(Map.of("label", Set.of("team=ops"))).matches(web)).isTrue();
        assertThat(filters(Map.of("label", Set.of("team=dev"))).matches(web)).isFalse();
        assertThat(filters(Map.of("status", Set.of("running", "paused"))).matches(web)).isTrue();
        assertThat(filters(Map.of("status", Set.of("exited"))).matches(web)).isFalse();
        assertThat(filters(Map.of("exited", Set.of("3"))).matches(done)).isTrue();
        assertThat(filters(Map.of("exited", Set.of("0"))).matches(done)).isFalse();
        assertThat(filters(Map.of("exited", Set.of("3"))).forcesAll()).isTrue();
        assertThat(filters(Map.of("status", Set.of("running"))).forcesAll()).isFalse();
    }

    @Test
    void ancestor_matchesByResolvedImageId() {
        ContainerFilters byId = new ContainerFilters(Map.of("ancestor", Set.of("bb:1")),
                x -> Optional.of(new io.hawser.agent.image.Image(io.hawser.agent.image.ImageId.parse(IMAGE_ID),
                        new io.hawser.agent.image.ImageConfig(null, null, null, null, null, null, null, null, null), 0, List.of(), null)),
                x -> Optional.empty());
        assertThat(byId.matches(web)).isTrue();
        assertThat(filters(Map.of("ancestor", Set.of("other"))).matches(web)).isFalse();
    }

    @Test
    void invalidFilters_areRefused() {
        assertThatThrownBy(() -> filters(Map.of("colour", Set.of("x")))).hasMessage("invalid filter 'colour'");
        assertThatThrownBy(() -> filters(Map.of("status", Set.of("sleeping")))).hasMessage("invalid filter 'status=sleeping'");
        assertThatThrownBy(() -> filters(Map.of("exited", Set.of("x")))).hasMessage("invalid filter 'exited=x'");
    }
}
