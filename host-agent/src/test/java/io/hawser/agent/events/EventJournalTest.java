package io.hawser.agent.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EventJournalTest {

    private static final Instant T0 = Instant.parse("2026-11-27T22:12:20.123456789Z");
    private static final EventJournal.Options SMALL = new EventJournal.Options(4096, 1024, Duration.ofDays(3650), 8);

    @TempDir
    Path dir;

    static Event die(String id, String name, int second) {
        return new Event(Event.Type.CONTAINER, "die", id, Map.of("name", name, "image", "bb:1", "exitCode", "0"),
                T0.plusSeconds(second));
    }

    static List<Event> history(EventJournal j, Instant since, Instant until) throws IOException {
        List<Event> out = new ArrayList<>();
        try (EventSubscription s = j.subscribe(since, until, EventFilter.all())) {
            s.replay(out::add);
        }
        return out;
    }

    @Test
    void reopen_seesTheEventsOfTheEarlierInstance() throws IOException {
        try (EventJournal j = EventJournal.open(dir, EventJournal.Options.defaults())) {
            j.publish(die("a1", "web", 0));
            j.publish(die("b2", "db", 1));
        }
        try (EventJournal j = EventJournal.open(dir, EventJournal.Options.defaults())) {
            j.publish(die("c3", "cache", 2));
            assertThat(history(j, Instant.EPOCH, null)).extracting(Event::actorId).containsExactly("a1", "b2", "c3");
            assertThat(history(j, T0.plusSeconds(1), T0.plusSeconds(1))).extracting(Event::actorId).containsExactly("b2");
        }
    }

    @Test
    void reopen_afterTornLastLine_cutsItAndKeepsAppending() throws IOException {
        try (EventJournal j = EventJournal.open(dir, EventJournal.Options.defaults())) {
            j.publish(die("a1", "web", 0));
        }
        Path segment = onlyFile();
        Files.writeString(segment, "{\"status\":\"die\",\"id\":\"half", StandardOpenOption.APPEND);
        try (EventJournal j = EventJournal.open(dir, EventJournal.Options.defaults())) {
            j.publish(die("b2", "db", 1));
            assertThat(history(j, Instant.EPOCH, null)).extracting(Event::actorId).containsExactly("a1", "b2");
        }
        assertThat(Files.readAllLines(segment)).hasSize(2);
    }

    @Test
    void rotation_keepsTheJournalUnderMaxBytesAndDropsTheOldest() throws IOException {
        try (EventJournal j = EventJournal.open(dir, SMALL)) {
            for (int i = 0; i < 100; i++) {
                j.publish(die("id" + i, "n" + i, i));
            }
            List<Event> kept = history(j, Instant.EPOCH, null);
            assertThat(kept.size()).isBetween(10, 99);
            assertThat(kept.get(kept.size() - 1).actorId()).isEqualTo("id99");
            // contiguous: what is kept is the newest run of events
            int first = Integer.parseInt(kept.get(0).actorId().substring(2));
            assertThat(kept).extracting(Event::actorId)
                    .containsExactlyElementsOf(Stream.iterate(first, i -> i + 1).limit(kept.size()).map(i -> "id" + i).toList());
        }
        long total = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                total += Files.size(p);
            }
        }
        assertThat(total).isLessThanOrEqualTo(SMALL.maxBytes() + SMALL.segmentBytes());
        try (EventJournal j = EventJournal.open(dir, SMALL)) {
            assertThat(history(j, T0.plusSeconds(99), null)).extracting(Event::actorId).containsExactly("id99");
        }
    }

    @Test
    void retention_byAge_deletesOldSegmentsOnOpen() throws IOException {
        try (EventJournal j = EventJournal.open(dir, SMALL)) {
            for (int i = 0; i < 30; i++) {
                j.publish(die("id" + i, "n" + i, i));
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.setLastModifiedTime(p, java.nio.file.attribute.FileTime.from(Instant.now().minus(Duration.ofDays(40))));
            }
        }
        try (EventJournal j = EventJournal.open(dir, new EventJournal.Options(4096, 1024, Duration.ofDays(30), 8))) {
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.count()).as("only the current segment is kept").isEqualTo(1);
            }
            assertThat(history(j, Instant.EPOCH, null)).extracting(Event::actorId).endsWith("id29");
        }
    }

    @Test
    void subscribe_withoutSinceOrUntil_hasNoHistory_butSeesLiveEvents() throws Exception {
        try (EventJournal j = EventJournal.open(dir, EventJournal.Options.defaults())) {
            j.publish(die("old", "web", 0));
            try (EventSubscription s = j.subscribe(null, null, new EventFilter(Map.of("container", Set.of("web"))))) {
                List<Event> replayed = new ArrayList<>();
                s.replay(replayed::add);
                assertThat(replayed).isEmpty();
                j.publish(die("x", "db", 1));
                j.publish(die("new", "web", 2));
                assertThat(s.poll(Duration.ofSeconds(30)).actorId()).isEqualTo("new");
                assertThat(s.poll(Duration.ZERO)).isNull();
            }
            assertThat(j.subscriberCount()).isZero();
        }
    }

    @Test
    void slowSubscriber_isCutOffWithAReason_andPublishersNeverBlock() throws Exception {
        try (EventJournal j = EventJournal.open(dir, SMALL)) {
            EventSubscription slow = j.subscribe(null, null, EventFilter.all());
            for (int i = 0; i < 20; i++) {
                j.publish(die("id" + i, "n", i)); // would block forever if publish waited for the subscriber
            }
            assertThat(slow.isClosed()).isTrue();
            assertThat(slow.closeReason()).contains("too slow");
            List<String> got = new ArrayList<>();
            Event e;
            while ((e = slow.poll(Duration.ZERO)) != null) {
                got.add(e.actorId());
            }
            assertThat(got).containsExactly("id0", "id1", "id2", "id3", "id4", "id5", "id6", "id7");
            assertThat(j.subscriberCount()).isZero();
        }
    }

    @Test
    void historyAndLive_doNotOverlapOrMissAnything_underConcurrentPublishing() throws Exception {
        EventJournal.Options opts = new EventJournal.Options(16L << 20, 1L << 20, Duration.ofDays(1), 100_000);
        try (EventJournal j = EventJournal.open(dir, opts)) {
            for (int i = 0; i < 500; i++) {
                j.publish(die("id" + i, "n", i));
            }
            Thread publisher = new Thread(() -> {
                for (int i = 500; i < 1500; i++) {
                    j.publish(die("id" + i, "n", i));
                }
            });
            publisher.start();
            List<String> got = new ArrayList<>();
            try (EventSubscription s = j.subscribe(Instant.EPOCH, null, EventFilter.all())) {
                s.replay(e -> got.add(e.actorId()));
                publisher.join();
                Event e;
                while ((e = s.poll(Duration.ZERO)) != null) {
                    got.add(e.actorId());
                }
            }
            assertThat(got).containsExactlyElementsOf(Stream.iterate(0, i -> i + 1).limit(1500).map(i -> "id" + i).toList());
        }
    }

    @Test
    void journalFile_holdsDockerdsWireFormat() throws IOException {
        try (EventJournal j = EventJournal.open(dir, EventJournal.Options.defaults())) {
            j.publish(die("a1", "web", 0));
        }
        assertThat(Files.readString(onlyFile(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"status\":\"die\",\"id\":\"a1\",\"from\":\"bb:1\",\"Type\":\"container\",\"Action\":\"die\","
                + "\"Actor\":{\"ID\":\"a1\",\"Attributes\":{\"exitCode\":\"0\",\"image\":\"bb:1\",\"name\":\"web\"}},"
                + "\"scope\":\"local\",\"time\":1795817540,\"timeNano\":1795817540123456789}\n");
    }

    private Path onlyFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findFirst().orElseThrow();
        }
    }
}
