package io.hawser.console.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.access.Access;
import io.hawser.console.access.NotVisibleException;
import io.hawser.console.access.Permission;
import io.hawser.console.audit.AuditLog;
import io.hawser.console.link.ApiResponse;
import io.hawser.console.link.HostApi;
import io.hawser.console.link.HostClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;

/**
 * Runs a container on a chosen host as {@code docker run -d} does: {@code POST /containers/create?name=}, then
 * {@code POST /containers/{id}/start}. Needs CONTAINER_CONTROL on the host; audited once as {@code container.run}
 * with the outcome (env values left out).
 */
@Service
public class ContainerRunner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HostApi hostApi;
    private final Access access;
    private final AuditLog audit;
    private final JdbcClient jdbc;

    ContainerRunner(HostApi hostApi, Access access, AuditLog audit, JdbcClient jdbc) {
        this.hostApi = hostApi;
        this.access = access;
        this.audit = audit;
        this.jdbc = jdbc;
    }

    /** The created and started container. */
    public record Started(UUID hostId, String containerId, List<String> warnings) {
    }

    /** A host the caller may run containers on. */
    public record RunHost(UUID id, String name) {
    }

    /** The hosts on which the caller has CONTAINER_CONTROL, by name. */
    public List<RunHost> hostsToRunOn() {
        var may = access.hostsWhere("h.id", Permission.CONTAINER_CONTROL);
        return jdbc.sql("SELECT h.id, h.name FROM hosts h WHERE " + may.sql() + " ORDER BY h.name").params(may.params())
                .query((rs, n) -> new RunHost(rs.getObject("id", UUID.class), rs.getString("name"))).list();
    }

    /** The image tags the inventory knows on the host (for the form's chooser). */
    public List<String> imageTags(UUID hostId) {
        access.require(hostId, Permission.HOST_VIEW);
        return jdbc.sql("""
                        SELECT DISTINCT t FROM images, unnest(repo_tags) AS t
                        WHERE host_id = ? AND t <> '<none>:<none>' ORDER BY t""")
                .param(hostId).query(String.class).list();
    }

    public Started run(UUID hostId, RunSpec spec) {
        String actor = access.caller().username();
        String target = "host:" + hostId;
        try {
            access.require(hostId, Permission.CONTAINER_CONTROL);
        } catch (AccessDeniedException | NotVisibleException e) {
            audit.recordAlone(actor, null, "container.run", target, spec.auditDetails() + ": " + e.getMessage(),
                    AuditLog.Result.DENIED);
            throw e;
        }
        JsonNode body;
        try {
            body = spec.toCreateBody();
        } catch (IllegalArgumentException e) {
            audit.recordAlone(actor, null, "container.run", target, spec.auditDetails() + ": " + e.getMessage(),
                    AuditLog.Result.FAILED);
            throw e;
        }
        String id = null;
        try {
            HostClient host = hostApi.forHost(hostId);
            String name = spec.nameOrNull();
            ApiResponse created = host.request("POST", "/containers/create"
                    + (name == null ? "" : "?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)),
                    "application/json", JSON.writeValueAsBytes(body));
            if (created.status() / 100 != 2) {
                throw ContainerDetails.agentError(created.status(), created.body());
            }
            id = created.json().path("Id").asText();
            List<String> warnings = JSON.convertValue(created.json().path("Warnings").isArray()
                    ? created.json().path("Warnings") : JSON.createArrayNode(), JSON.getTypeFactory()
                    .constructCollectionType(List.class, String.class));
            ApiResponse started = host.request("POST", "/containers/" + id + "/start", null, null);
            if (started.status() / 100 != 2) {
                throw ContainerDetails.agentError(started.status(), started.body());
            }
            audit.recordAlone(actor, null, "container.run", target + "/container:" + id, spec.auditDetails() + ": started",
                    AuditLog.Result.OK);
            return new Started(hostId, id, warnings);
        } catch (IOException e) {
            audit.recordAlone(actor, null, "container.run", id == null ? target : target + "/container:" + id,
                    spec.auditDetails() + ": " + e.getMessage(), AuditLog.Result.FAILED);
            throw new UncheckedIOException("request to the host failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            audit.recordAlone(actor, null, "container.run", id == null ? target : target + "/container:" + id,
                    spec.auditDetails() + ": " + e.getMessage(), AuditLog.Result.FAILED);
            throw e;
        }
    }
}
