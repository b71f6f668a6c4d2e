package io.hawser.agent.volume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.ErrorKind;
import io.hawser.agent.events.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumesTest {

    @TempDir
    Path root;
    private final List<Event> events = new ArrayList<>();
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC);

    private Volumes open() {
        return Volumes.open(root, events::add, clock);
    }

    @Test
    void create_persistsAndReloads_withDockerdsLayout() {
        Volumes v = open();
        Volume made = v.create("data1", "local", Map.of(), Map.of("a", "b"));
        assertThat(made.createdAt()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(v.mountpoint("data1")).isEqualTo(root.resolve("volumes/data1/_data")).isDirectory();
        assertThat(events).extracting(Event::action, Event::actorId).containsExactly(org.assertj.core.groups.Tuple.tuple("create", "data1"));
        assertThat(v.create("data1", null, null, null)).isEqualTo(made); // dockerd: the existing one, no error
        Volumes again = open();
        assertThat(again.get("data1")).isEqualTo(made);
        assertThat(again.list(x -> true)).extracting(Volume::name).containsExactly("data1");
    }

    @Test
    void namesAndDrivers_areCheckedWithDockerdsWords() {
        Volumes v = open();
        assertThatThrownBy(() -> v.create("a", null, null, null)).hasMessageContaining("volume name is too short");
        assertThatThrownBy(() -> v.create("../x", null, null, null)).hasMessageContaining("includes invalid characters");
        assertThatThrownBy(() -> v.create("ok1", "nfs", null, null))
                .hasMessage("error looking up volume plugin nfs: plugin \"nfs\" not found");
        assertThatThrownBy(() -> v.get("missing")).hasMessage("get missing: no such volume")
                .satisfies(e -> assertThat(((AgentException) e).kind()).isEqualTo(ErrorKind.NOT_FOUND));
        assertThat(VolumeNames.random()).matches("[0-9a-f]{64}");
    }

    @Test
    void remove_refusedWhileReferenced_thenDeletesContent() throws Exception {
        Volumes v = open();
        v.useOrCreate("busy", "c1");
        v.use("busy", "c2");
        Files.writeString(v.mountpoint("busy").resolve("f"), "x");
        assertThatThrownBy(() -> v.remove("busy", false)).hasMessage("remove busy: volume is in use - [c1, c2]")
                .satisfies(e -> assertThat(((AgentException) e).kind()).isEqualTo(ErrorKind.CONFLICT));
        v.release("busy", "c1");
        v.release("busy", "c2");
        v.remove("busy", false);
        assertThat(root.resolve("volumes/busy")).doesNotExist();
        assertThat(events).extracting(Event::action).containsExactly("create", "destroy");
        v.remove("busy", true); // force: a missing volume is fine
        assertThatThrownBy(() -> v.remove("busy", false)).hasMessage("get busy: no such volume");
    }

    @Test
    void prune_removesOnlyUnreferencedOnesTheFilterKeeps() {
        Volumes v = open();
        Volume anon = v.createAnonymous("c1");
        v.create("named", null, null, null);
        Volume loose = v.create("", null, null, null);
        assertThat(loose.anonymous()).isTrue();
        Volumes.Pruned p = v.prune(Volume::anonymous);
        assertThat(p.deleted()).containsExactly(loose.name());
        assertThat(v.list(x -> true)).extracting(Volume::name).containsExactlyInAnyOrder(anon.name(), "named");
    }

    @Test
    void leftoversOfACrash_areDeletedAtOpen() throws Exception {
        Files.createDirectories(root.resolve("volumes/.tmp-x/_data"));
        Files.createDirectories(root.resolve("volumes/.trash-y/_data"));
        open();
        try (var s = Files.list(root.resolve("volumes"))) {
            assertThat(s.toList()).isEmpty();
        }
    }
}
