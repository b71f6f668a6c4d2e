package io.hawser.console.inventory;

import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The fleet inventory in PostgreSQL, written from what agents send over their links. An inventory replaces the host's
 * rows in one transaction (upsert what is there, delete what is not), so a reconnect leaves neither duplicates nor
 * ghosts, and readers never see a half-applied snapshot. Not authorised: only the link, for an authenticated host,
 * writes here.
 */
@Service
public class InventoryStore {

    private static final String UPSERT_CONTAINER = """
            INSERT INTO containers (host_id, container_id, name, image, image_id, command, state, status, labels, ports,
                                    created, updated_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)
            ON CONFLICT (host_id, container_id) DO UPDATE SET
                name = excluded.name, image = excluded.image, image_id = excluded.image_id, command = excluded.command,
                state = excluded.state, status = excluded.status, labels = excluded.labels, ports = excluded.ports,
                created = excluded.created, updated_at = excluded.updated_at""";
    private static final String UPSERT_IMAGE = """
            INSERT INTO images (host_id, image_id, repo_tags, size, created, labels, updated_at)
            VALUES (?, ?, ?, ?, ?, ?::jsonb, ?)
            ON CONFLICT (host_id, image_id) DO UPDATE SET
                repo_tags = excluded.repo_tags, size = excluded.size, created = excluded.created,
                labels = excluded.labels, updated_at = excluded.updated_at""";

    private final JdbcTemplate jdbc;
    private final ApplicationEventPublisher events;

    InventoryStore(JdbcTemplate jdbc, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
    }

    /** The host's agent said hello: it is ONLINE, with these facts. */
    @Transactional
    public void hostOnline(UUID hostId, HostFacts facts, Instant now) {
        jdbc.update("""
                        UPDATE hosts SET status = 'ONLINE', last_seen_at = ?, agent_version = coalesce(?, agent_version),
                            hostname = coalesce(?, hostname), kernel_version = ?, operating_system = ?, cgroup_version = ?,
                            cpus = ?, memory_bytes = ?
                        WHERE id = ?""",
                ts(now), facts.agentVersion(), facts.hostname(), facts.kernelVersion(), facts.operatingSystem(),
                facts.cgroupVersion(), facts.cpus(), facts.memoryBytes(), hostId);
        changed(hostId);
    }

    /** Something arrived from the host's agent. */
    @Transactional
    public void touch(UUID hostId, Instant now) {
        jdbc.update("UPDATE hosts SET last_seen_at = ?, status = 'ONLINE' WHERE id = ?", ts(now), hostId);
    }

    /**
     * Marks UNREACHABLE every ONLINE host not heard from since {@code cutoff}, except those linked here (their
     * liveness is known first hand). Hosts linked to another replica stay fresh through its {@link #touch}es.
     *
     * @return how many hosts changed
     */
    @Transactional
    public int markUnreachable(Instant cutoff, Collection<UUID> linkedHere) {
        int changed = jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    UPDATE hosts SET status = 'UNREACHABLE'
                    WHERE status = 'ONLINE' AND (last_seen_at IS NULL OR last_seen_at < ?) AND NOT (id = ANY (?))""");
            ps.setTimestamp(1, ts(cutoff));
            ps.setArray(2, con.createArrayOf("uuid", linkedHere.toArray()));
            return ps;
        });
        if (changed > 0) {
            changed(null);
        }
        return changed;
    }

    /** Replaces the host's containers and images with a full inventory, in one transaction. */
    @Transactional
    public void reconcile(UUID hostId, List<ContainerRow> containers, List<ImageRow> images, Instant now) {
        reconcileContainers(hostId, containers, now);
        reconcileImages(hostId, images, now);
    }

    @Transactional
    public void reconcileContainers(UUID hostId, List<ContainerRow> containers, Instant now) {
        List<Object[]> rows = new ArrayList<>();
        for (ContainerRow c : containers) {
            rows.add(containerParams(hostId, c, now));
        }
        jdbc.batchUpdate(UPSERT_CONTAINER, rows);
        deleteAbsent("containers", "container_id", hostId, containers.stream().map(ContainerRow::id).toList());
        changed(hostId);
    }

    @Transactional
    public void reconcileImages(UUID hostId, List<ImageRow> images, Instant now) {
        jdbc.batchUpdate(UPSERT_IMAGE, images, 200, (ps, i) -> {
            ps.setObject(1, hostId);
            ps.setString(2, i.id());
            ps.setArray(3, ps.getConnection().createArrayOf("text", i.repoTags().toArray()));
            ps.setObject(4, i.size());
            ps.setTimestamp(5, ts(i.created()));
            ps.setString(6, i.labelsJson());
            ps.setTimestamp(7, ts(now));
        });
        deleteAbsent("images", "image_id", hostId, images.stream().map(ImageRow::id).toList());
        changed(hostId);
    }

    /**
     * Records an event (once: a replayed one is ignored) and applies what it says about its container: the current
     * list row when the agent sent one, start and finish times, removal on destroy.
     *
     * @param container the container's row as the agent read it after the event; null when it did not (or could not)
     * @param containerGone the agent found no such container any more
     */
    @Transactional
    public void recordEvent(UUID hostId, FleetEvent event, ContainerRow container, boolean containerGone, Instant now) {
        jdbc.update("""
                        INSERT INTO fleet_events (host_id, time, time_nano, type, action, actor_id, attributes)
                        VALUES (?, ?, ?, ?, ?, ?, ?::jsonb)
                        ON CONFLICT ON CONSTRAINT fleet_events_identity_key DO NOTHING""",
                hostId, ts(event.time()), event.timeNano(), event.type(), event.action(), event.actorId(),
                event.attributesJson());
        changed(hostId);
        if (!event.type().equals("container")) {
            return;
        }
        if (containerGone || event.action().equals("destroy")) {
            jdbc.update("DELETE FROM containers WHERE host_id = ? AND container_id = ?", hostId, event.actorId());
            return;
        }
        if (container != null) {
            jdbc.update(UPSERT_CONTAINER, containerParams(hostId, container, now));
        }
        if (event.action().equals("start")) {
            jdbc.update("UPDATE containers SET started_at = ?, finished_at = NULL WHERE host_id = ? AND container_id = ?",
                    ts(event.time()), hostId, event.actorId());
        } else if (event.action().equals("die")) {
            jdbc.update("UPDATE containers SET finished_at = ? WHERE host_id = ? AND container_id = ?",
                    ts(event.time()), hostId, event.actorId());
        }
    }

    @Transactional
    public void updateStats(UUID hostId, List<StatsRow> stats, Instant now) {
        jdbc.batchUpdate("""
                UPDATE containers SET cpu_percent = ?, memory_usage = ?, memory_limit = ?, stats_at = ?
                WHERE host_id = ? AND container_id = ?""", stats, 200, (ps, s) -> {
            ps.setObject(1, s.cpuPercent());
            ps.setObject(2, s.memoryUsage());
            ps.setObject(3, s.memoryLimit());
            ps.setTimestamp(4, ts(now));
            ps.setObject(5, hostId);
            ps.setString(6, s.id());
        });
        changed(hostId);
    }

    /** Forgets fleet events older than {@code cutoff}; returns how many. */
    @Transactional
    public int deleteEventsBefore(Instant cutoff) {
        return jdbc.update("DELETE FROM fleet_events WHERE time < ?", ts(cutoff));
    }

    /** Published within the transaction; {@link InventoryChanges} passes it on once it committed. */
    private void changed(UUID hostId) {
        events.publishEvent(new InventoryChanged(hostId));
    }

    private void deleteAbsent(String table, String idColumn, UUID hostId, List<String> present) {
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement(
                    "DELETE FROM " + table + " WHERE host_id = ? AND NOT (" + idColumn + " = ANY (?))");
            ps.setObject(1, hostId);
            ps.setArray(2, con.createArrayOf("text", present.toArray()));
            return ps;
        });
    }

    private static Object[] containerParams(UUID hostId, ContainerRow c, Instant now) {
        return new Object[] {hostId, c.id(), c.name(), c.image(), c.imageId(), c.command(), c.state(), c.status(),
                c.labelsJson(), c.portsJson(), ts(c.created()), ts(now)};
    }

    static Timestamp ts(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }
}
