package io.hawser.console.containers;

import io.hawser.console.access.Access;
import io.hawser.console.access.Caller;
import io.hawser.console.access.Permission;
import io.hawser.console.access.SqlCondition;
import io.hawser.console.audit.AuditLog;
import io.hawser.console.link.ApiResponse;
import io.hawser.console.link.HostApi;
import io.hawser.console.link.HostNotConnectedException;
import java.io.IOException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Service;

/**
 * Every container on every host the caller may see, listed from the inventory in one query (no fan-out to agents),
 * and the actions start, stop, restart, kill and remove, sent to the container's own host over its link. Who sees
 * and who acts is {@link Access}'s decision (HOST_VIEW to list, CONTAINER_CONTROL to act); each action is audited
 * with its host, container and result.
 */
@Service
public class FleetContainers {

    /** Bulk actions run one host after another per host, hosts in parallel (up to this many at once). */
    private static final int PARALLEL_HOSTS = 8;

    private final JdbcClient jdbc;
    private final HostApi hostApi;
    private final AuditLog audit;
    private final Access access;
    private final ExecutorService actions = Executors.newFixedThreadPool(PARALLEL_HOSTS, r -> {
        Thread t = new Thread(r, "container-actions");
        t.setDaemon(true);
        return t;
    });

    FleetContainers(JdbcClient jdbc, HostApi hostApi, AuditLog audit, Access access) {
        this.jdbc = jdbc;
        this.access = access;
        this.hostApi = hostApi;
        this.audit = audit;
    }

    /** One page of the fleet list, filtered and sorted (then by host and name, so pages are stable). */
    @PreAuthorize("isAuthenticated()")
    public List<FleetContainer> list(ContainerFilter filter, List<ContainerSort.Order> sort, int offset, int limit) {
        if (offset < 0 || limit < 0) {
            throw new IllegalArgumentException("offset and limit are not negative");
        }
        StringBuilder order = new StringBuilder();
        for (ContainerSort.Order o : sort) {
            order.append(o.by().column).append(o.ascending() ? " ASC NULLS FIRST, " : " DESC NULLS LAST, ");
        }
        order.append("h.name, c.name, c.container_id");
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        return jdbc.sql("""
                        SELECT c.host_id, h.name AS host_name, c.container_id, c.name, c.image, c.command, c.state,
                               c.status, c.labels::text AS labels, c.created, c.cpu_percent, c.memory_usage, c.memory_limit
                        FROM containers c JOIN hosts h ON h.id = c.host_id
                        WHERE %s ORDER BY %s OFFSET :offset LIMIT :limit""".formatted(where, order))
                .params(params).param("offset", offset).param("limit", limit)
                .query((rs, n) -> {
                    Timestamp created = rs.getTimestamp("created");
                    return new FleetContainer(rs.getObject("host_id", UUID.class), rs.getString("host_name"),
                            rs.getString("container_id"), rs.getString("name"), rs.getString("image"),
                            rs.getString("command"), rs.getString("state"), rs.getString("status"),
                            rs.getString("labels"), created == null ? null : created.toInstant(),
                            rs.getObject("cpu_percent", Double.class), rs.getObject("memory_usage", Long.class),
                            rs.getObject("memory_limit", Long.class));
                })
                .list();
    }

    /** How many containers {@link #list} would list without paging. */
    @PreAuthorize("isAuthenticated()")
    public int count(ContainerFilter filter) {
        Map<String, Object> params = new LinkedHashMap<>();
        String where = where(filter, params);
        return jdbc.sql("SELECT count(*) FROM containers c JOIN hosts h ON h.id = c.host_id WHERE " + where)
                .params(params).query(Integer.class).single();
    }

    private String where(ContainerFilter f, Map<String, Object> params) {
        SqlCondition visible = access.hostsWhere("c.host_id", Permission.HOST_VIEW);
        params.putAll(visible.params());
        List<String> parts = new ArrayList<>(List.of(visible.sql()));
        if (f.hostId() != null) {
            parts.add("c.host_id = :host");
            params.put("host", f.hostId());
        }
        if (present(f.state())) {
            parts.add("c.state = :state");
            params.put("state", f.state().strip());
        }
        if (present(f.image())) {
            parts.add("c.image ILIKE :image ESCAPE '\\'");
            params.put("image", contains(f.image()));
        }
        if (present(f.name())) {
            parts.add("c.name ILIKE :name ESCAPE '\\'");
            params.put("name", contains(f.name()));
        }
        if (present(f.label())) {
            String label = f.label().strip();
            int eq = label.indexOf('=');
            if (eq < 0) {
                // jsonb_exists is the "?" operator, which JDBC would take for a parameter.
                parts.add("jsonb_exists(c.labels, :labelKey)");
                params.put("labelKey", label);
            } else {
                parts.add("c.labels @> jsonb_build_object(CAST(:labelKey AS text), CAST(:labelValue AS text))");
                params.put("labelKey", label.substring(0, eq));
                params.put("labelValue", label.substring(eq + 1));
            }
        }
        if (present(f.search())) {
            // search_text (V9): name, image, command and labels, lower-cased, joined by a separator no term matches.
            parts.add("c.search_text LIKE lower(:q) ESCAPE '\\'");
            params.put("q", contains(f.search()));
        }
        return String.join(" AND ", parts);
    }

    /**
     * Runs {@code action} on each container, each on its own host; never throws for one container's failure. Hosts
     * are worked on in parallel, the containers of one host in the order given.
     *
     * @return one result per container, in the order given
     */
    @PreAuthorize("isAuthenticated()")
    public List<ActionResult> perform(ContainerAction action, List<ContainerRef> containers) {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        Caller caller = access.caller();
        Map<UUID, List<Integer>> byHost = new LinkedHashMap<>();
        for (int i = 0; i < containers.size(); i++) {
            byHost.computeIfAbsent(containers.get(i).hostId(), h -> new ArrayList<>()).add(i);
        }
        ActionResult[] results = new ActionResult[containers.size()];
        List<CompletableFuture<Void>> hosts = new ArrayList<>();
        for (List<Integer> indexes : byHost.values()) {
            hosts.add(CompletableFuture.runAsync(() -> {
                for (int i : indexes) {
                    results[i] = performOne(who, caller, action, containers.get(i));
                }
            }, actions));
        }
        CompletableFuture.allOf(hosts.toArray(CompletableFuture[]::new)).join();
        return List.of(results);
    }

    private ActionResult performOne(Authentication who, Caller caller, ContainerAction action, ContainerRef ref) {
        record Target(String hostName, String containerName) {}
        Access.Decision decision = access.decide(caller, ref.hostId(), Permission.CONTAINER_CONTROL);
        Optional<Target> target = decision == Access.Decision.HIDDEN ? Optional.empty() : jdbc.sql("""
                        SELECT h.name AS host_name, c.name FROM containers c JOIN hosts h ON h.id = c.host_id
                        WHERE c.host_id = :host AND c.container_id = :id""")
                .param("host", ref.hostId()).param("id", ref.containerId())
                .query((rs, n) -> new Target(rs.getString("host_name"), rs.getString("name")))
                .optional();
        String auditTarget = "host:" + ref.hostId() + "/container:" + ref.containerId();
        if (target.isEmpty()) {
            // An invisible container is reported as absent: its existence is not the caller's to learn.
            return audited(who, action, auditTarget, AuditLog.Result.DENIED,
                    new ActionResult(ref.hostId(), null, ref.containerId(), null, false, "no such container", 404));
        }
        Target t = target.get();
        if (decision != Access.Decision.ALLOWED) {
            return audited(who, action, auditTarget, AuditLog.Result.DENIED, new ActionResult(ref.hostId(),
                    t.hostName(), ref.containerId(), t.containerName(), false, "not allowed: viewers change nothing", 403));
        }
        String message;
        boolean ok;
        int status;
        try {
            ApiResponse response = hostApi.forHost(ref.hostId())
                    .request(action.method, action.path(ref.containerId()), null, null);
            ok = response.status() / 100 == 2 || response.status() == 304;
            status = response.status() == 304 ? 304 : ok ? 204 : response.status();
            message = response.status() == 304 ? "nothing to do (already in that state)"
                    : ok ? "done" : agentMessage(response);
        } catch (HostNotConnectedException e) {
            ok = false;
            status = 503;
            message = "host " + t.hostName() + " is not connected";
        } catch (IOException | RuntimeException e) {
            ok = false;
            status = 502;
            message = "request to host " + t.hostName() + " failed: " + e.getMessage();
        }
        return audited(who, action, auditTarget, ok ? AuditLog.Result.OK : AuditLog.Result.FAILED,
                new ActionResult(ref.hostId(), t.hostName(), ref.containerId(), t.containerName(), ok, message, status));
    }

    private ActionResult audited(Authentication who, ContainerAction action, String target, AuditLog.Result result,
                                 ActionResult outcome) {
        audit.recordAlone(who, action.auditName(), target,
                "host=" + (outcome.hostName() == null ? outcome.hostId() : outcome.hostName())
                        + " container=" + (outcome.containerName() == null ? outcome.containerId() : outcome.containerName())
                        + ": " + outcome.message(),
                result);
        return outcome;
    }

    /** dockerd answers errors as {@code {"message": ...}}; the agent does the same. */
    private static String agentMessage(ApiResponse response) {
        try {
            String m = response.json().path("message").asText("");
            if (!m.isEmpty()) {
                return m;
            }
        } catch (RuntimeException notJson) {
            // fall through to the status
        }
        return "the agent answered " + response.status();
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /** A LIKE pattern matching {@code s} anywhere, with LIKE's own wildcards in {@code s} taken literally. */
    static String contains(String s) {
        return "%" + s.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    @jakarta.annotation.PreDestroy
    void stop() {
        actions.shutdownNow();
    }
}
