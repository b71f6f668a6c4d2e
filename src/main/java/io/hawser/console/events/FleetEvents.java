package io.hawser.console.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.access.Access;
import io.hawser.console.access.Permission;
import io.hawser.console.access.SqlCondition;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The engine events of every host the caller may see (HOST_VIEW, as {@link Access} decides), newest first, from the
 * {@code fleet_events} table the link fills (io.hawser.console.inventory): one query, no fan-out to agents. Old events
 * go after {@code hawser.link.event-retention}.
 */
@Service
public class FleetEvents {

    /** At most this many events per page. */
    public static final int MAX_LIMIT = 1000;
    private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f]{1,64}");

    private final JdbcClient jdbc;
    private final Access access;
    private final ObjectMapper json = new ObjectMapper();

    FleetEvents(JdbcClient jdbc, Access access) {
        this.jdbc = jdbc;
        this.access = access;
    }

    /** One page of the events matching {@code query}, newest first (then by arrival, so pages are stable). */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<EventEntry> list(EventQuery query, int offset, int limit) {
        if (offset < 0 || limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("offset is not negative, limit is 0 to " + MAX_LIMIT);
        }
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(query, params);
        return jdbc.sql("""
                        SELECT e.id, e.host_id, h.name AS host_name, e.time_nano, e.type, e.action, e.actor_id,
                               e.attributes::text AS attributes
                        FROM fleet_events e JOIN hosts h ON h.id = e.host_id
                        WHERE %s ORDER BY e.time DESC, e.id DESC OFFSET :offset LIMIT :limit""".formatted(where))
                .params(params).param("offset", offset).param("limit", limit)
                .query(this::entry)
                .list();
    }

    /** How many events {@link #list} would list without paging. */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public int count(EventQuery query) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(query, params);
        return jdbc.sql("SELECT count(*) FROM fleet_events e WHERE " + where).params(params).query(Integer.class).single();
    }

    private String where(EventQuery q, Map<String, Object> params) {
        SqlCondition visible = access.hostsWhere("e.host_id", Permission.HOST_VIEW);
        params.putAll(visible.params());
        List<String> parts = new ArrayList<>(List.of(visible.sql()));
        if (q.hostId() != null) {
            parts.add("e.host_id = :host");
            params.put("host", q.hostId());
        }
        if (q.type() != null) {
            parts.add("e.type = :type");
            params.put("type", q.type());
        }
        if (q.action() != null) {
            parts.add("e.action = :action");
            params.put("action", q.action());
        }
        if (q.container() != null) {
            // By name (the attribute every container event carries), full id, or unique-enough id prefix.
            String c = q.container().startsWith("/") ? q.container().substring(1) : q.container();
            String byId = ID_PREFIX.matcher(c).matches()
                    ? (c.length() == 64 ? " OR e.actor_id = :container" : " OR e.actor_id LIKE :containerPrefix")
                    : "";
            parts.add("e.type = 'container' AND (e.attributes->>'name' = :container" + byId + ")");
            params.put("container", c);
            params.put("containerPrefix", c + "%");
        }
        if (q.since() != null) {
            parts.add("e.time >= :since");
            params.put("since", Timestamp.from(q.since()));
        }
        if (q.until() != null) {
            parts.add("e.time < :until");
            params.put("until", Timestamp.from(q.until()));
        }
        return String.join(" AND ", parts);
    }

    private EventEntry entry(ResultSet rs, int n) throws SQLException {
        Map<String, String> attributes = new LinkedHashMap<>();
        try {
            // Engine API attributes are strings; anything else an agent sent is shown as its JSON text.
            json.readTree(rs.getString("attributes")).fields().forEachRemaining(f -> attributes.put(f.getKey(),
                    f.getValue().isValueNode() ? f.getValue().asText() : f.getValue().toString()));
        } catch (JsonProcessingException e) {
            attributes.clear(); // not possible for a jsonb column; the event itself still counts
        }
        long nanos = rs.getLong("time_nano");
        return new EventEntry(rs.getLong("id"), rs.getObject("host_id", UUID.class), rs.getString("host_name"),
                java.time.Instant.ofEpochSecond(0, nanos), rs.getString("type"), rs.getString("action"),
                rs.getString("actor_id"), attributes);
    }
}
