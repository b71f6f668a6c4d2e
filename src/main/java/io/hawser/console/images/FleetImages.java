package io.hawser.console.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.console.access.Access;
import io.hawser.console.access.NotVisibleException;
import io.hawser.console.access.Permission;
import io.hawser.console.access.SqlCondition;
import io.hawser.console.audit.AuditLog;
import io.hawser.console.common.api.AgentErrorException;
import io.hawser.console.inventory.ImageRow;
import io.hawser.console.inventory.InventoryStore;
import io.hawser.console.link.ApiResponse;
import io.hawser.console.link.ApiStream;
import io.hawser.console.link.HostApi;
import io.hawser.console.link.HostNotConnectedException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.LongConsumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.stereotype.Service;

/**
 * The images of the fleet: listed from the inventory in one query (each name of each image with the hosts that have
 * it), and removed, tagged and imported on one host through its link, as {@code docker rmi}, {@code docker tag} and
 * {@code docker import -} do against that host. {@link Access} decides (HOST_VIEW to list, IMAGE_MANAGE to change);
 * each change is audited once, with its result; an agent's refusal (409 "image is being used", 404 "No such image",
 * 400 for a tarball it cannot read) is passed on as {@link AgentErrorException}.
 *
 * <p>The agent sends its image list with every image event, so the inventory follows a change by itself; a change
 * made here also re-reads the host's list at once, so that the caller's next look (a REST call, a grid refresh) sees
 * it without waiting for the event to come round.
 */
@Service
public class FleetImages {

    private static final Logger log = LoggerFactory.getLogger(FleetImages.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A name or id as the Engine API takes it in a path: reference characters only (no spaces, no query, no "%"). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/@-]{0,254}");

    private final JdbcClient jdbc;
    private final HostApi hostApi;
    private final Access access;
    private final AuditLog audit;
    private final InventoryStore inventory;

    FleetImages(JdbcClient jdbc, HostApi hostApi, Access access, AuditLog audit, InventoryStore inventory) {
        this.jdbc = jdbc;
        this.hostApi = hostApi;
        this.access = access;
        this.audit = audit;
        this.inventory = inventory;
    }

    /** Every name of every image on the hosts the caller may see, by name then id; hosts by name. */
    public List<FleetImage> list(ImageFilter filter) {
        SqlCondition visible = access.hostsWhere("i.host_id", Permission.HOST_VIEW);
        Map<String, Object> params = new LinkedHashMap<>(visible.params());
        List<String> where = new ArrayList<>(List.of(visible.sql()));
        String having = "";
        if (filter.hostId() != null) {
            having = "HAVING bool_or(i.host_id = :host)";
            params.put("host", filter.hostId());
        }
        if (filter.name() != null && !filter.name().isBlank()) {
            where.add("(t.tag ILIKE :name ESCAPE '\\' OR i.image_id ILIKE :name ESCAPE '\\')");
            params.put("name", "%" + filter.name().strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        }
        return jdbc.sql("""
                        SELECT t.tag, i.image_id, max(i.size) AS size, max(i.created) AS created,
                               array_agg(h.id ORDER BY h.name, h.id) AS host_ids, array_agg(h.name ORDER BY h.name, h.id) AS host_names
                        FROM images i JOIN hosts h ON h.id = i.host_id
                        CROSS JOIN LATERAL unnest(CASE WHEN cardinality(i.repo_tags) = 0 THEN ARRAY['<none>:<none>']
                                                       ELSE i.repo_tags END) AS t(tag)
                        WHERE %s
                        GROUP BY t.tag, i.image_id %s
                        ORDER BY t.tag = '<none>:<none>', t.tag, i.image_id""".formatted(String.join(" AND ", where), having))
                .params(params)
                .query((rs, n) -> {
                    Timestamp created = rs.getTimestamp("created");
                    Object[] ids = (Object[]) rs.getArray("host_ids").getArray();
                    Object[] names = (Object[]) rs.getArray("host_names").getArray();
                    List<FleetImage.HostRef> hosts = new ArrayList<>();
                    for (int i = 0; i < ids.length; i++) {
                        hosts.add(new FleetImage.HostRef((UUID) ids[i], (String) names[i]));
                    }
                    return new FleetImage(rs.getString("tag"), rs.getString("image_id"), rs.getObject("size", Long.class),
                            created == null ? null : created.toInstant(), hosts);
                })
                .list();
    }

    /** The images of one host. @throws NotVisibleException for a host the caller may not see */
    public List<FleetImage> onHost(UUID hostId) {
        access.require(hostId, Permission.HOST_VIEW);
        return list(ImageFilter.NONE.withHost(hostId));
    }

    /** The hosts (id and name, by name) on which the caller has {@code permission}, for views offering a choice. */
    public List<FleetImage.HostRef> hostsWhere(Permission permission) {
        SqlCondition c = access.hostsWhere("h.id", permission);
        return jdbc.sql("SELECT h.id, h.name FROM hosts h WHERE " + c.sql() + " ORDER BY h.name").params(c.params())
                .query((rs, n) -> new FleetImage.HostRef(rs.getObject("id", UUID.class), rs.getString("name"))).list();
    }

    /** Ids of the hosts on which the caller may change images; views hide what is not in it. */
    public Set<UUID> manageableHosts() {
        Set<UUID> ids = new LinkedHashSet<>();
        hostsWhere(Permission.IMAGE_MANAGE).forEach(h -> ids.add(h.id()));
        return ids;
    }

    /**
     * {@code docker rmi [-f] NAME} on the host.
     *
     * @return the agent's answer: {@code [{"Untagged": ...} | {"Deleted": ...}]}
     */
    public JsonNode remove(UUID hostId, String name, boolean force) {
        return change("image.remove", hostId, name, "force=" + force, () -> {
            ApiResponse r = hostApi.forHost(hostId).request("DELETE", "/images/" + checkedName(name)
                    + (force ? "?force=1" : ""), null, null);
            if (r.status() / 100 != 2) {
                throw agentError(r.status(), r.body());
            }
            JsonNode deleted = r.json();
            return new Outcome<>(deleted, deleted.size() + " untagged or deleted");
        });
    }

    /** {@code docker tag NAME REPO[:TAG]} on the host. */
    public void tag(UUID hostId, String name, String repo, String tag) {
        String target = (repo == null ? "" : repo.strip()) + (tag == null || tag.isBlank() ? "" : ":" + tag.strip());
        change("image.tag", hostId, name, "as " + target, () -> {
            if (repo == null || repo.isBlank()) {
                throw new IllegalArgumentException("a repository to tag the image as is required");
            }
            String query = "?repo=" + encode(repo.strip()) + (tag == null || tag.isBlank() ? "" : "&tag=" + encode(tag.strip()));
            ApiResponse r = hostApi.forHost(hostId).request("POST", "/images/" + checkedName(name) + "/tag" + query,
                    null, null);
            if (r.status() / 100 != 2) {
                throw agentError(r.status(), r.body());
            }
            return new Outcome<>(null, "tagged");
        });
    }

    /**
     * {@code docker import - [REPO[:TAG]]} on the host: the root filesystem tarball is streamed to the agent as it is
     * read from {@code tar} (nothing is held in memory), and {@code sent} hears of every chunk that went out.
     *
     * @param length the tarball's size, or -1 when unknown (it is then sent chunked)
     * @param repo the name to give the image, or null/blank for none
     */
    public ImportResult importTarball(UUID hostId, InputStream tar, long length, String repo, String tag, LongConsumer sent) {
        boolean named = repo != null && !repo.isBlank();
        String reference = named ? repo.strip() + (tag == null || tag.isBlank() ? "" : ":" + tag.strip()) : null;
        long[] bytes = new long[1];
        return change("image.import", hostId, reference == null ? "-" : reference,
                (length >= 0 ? length + " bytes" : "size unknown"), () -> {
                    String query = "?fromSrc=-" + (named ? "&repo=" + encode(repo.strip()) : "")
                            + (named && tag != null && !tag.isBlank() ? "&tag=" + encode(tag.strip()) : "");
                    String imageId = null;
                    try (ApiStream s = hostApi.forHost(hostId).upload("POST", "/images/create" + query, "application/x-tar",
                            tar, length, n -> {
                                bytes[0] += n;
                                sent.accept(n);
                            })) {
                        if (s.status() / 100 != 2) {
                            throw agentError(s.status(), s.body().readAllBytes());
                        }
                        try (MappingIterator<JsonNode> lines = JSON.readerFor(JsonNode.class).readValues(s.body())) {
                            while (lines.hasNextValue()) {
                                JsonNode line = lines.nextValue();
                                if (line.has("errorDetail") || line.has("error")) {
                                    String m = line.path("errorDetail").path("message").asText(line.path("error").asText(""));
                                    // The agent reads the tarball as it streams in: what fails then is the tarball.
                                    throw new AgentErrorException(400, m.isEmpty() ? "the agent could not import the tarball" : m);
                                }
                                String status = line.path("status").asText("");
                                if (status.startsWith("sha256:")) {
                                    imageId = status;
                                }
                            }
                        }
                    }
                    if (imageId == null) {
                        throw new AgentErrorException(502, "the agent ended the import without naming the new image");
                    }
                    return new Outcome<>(new ImportResult(hostId, imageId, reference, bytes[0]), imageId + ", "
                            + bytes[0] + " bytes sent");
                });
    }

    private record Outcome<T>(T value, String summary) {
    }

    private interface Work<T> {
        Outcome<T> run() throws IOException;
    }

    /** Authorises, runs and audits one change (exactly one audit row, whatever happens), then refreshes the host's images. */
    private <T> T change(String action, UUID hostId, String name, String details, Work<T> work) {
        String actor = access.caller().username();
        String target = "host:" + hostId + "/image:" + name;
        try {
            access.require(hostId, Permission.IMAGE_MANAGE);
        } catch (NotVisibleException | AccessDeniedException e) {
            audit.recordAlone(actor, null, action, target, details + ": " + e.getMessage(), AuditLog.Result.DENIED);
            throw e;
        }
        Outcome<T> outcome;
        try {
            outcome = work.run();
        } catch (IOException e) {
            audit.recordAlone(actor, null, action, target, details + ": " + e.getMessage(), AuditLog.Result.FAILED);
            throw new AgentErrorException(502, "request to the host failed: " + e.getMessage());
        } catch (AgentErrorException | HostNotConnectedException | IllegalArgumentException e) {
            audit.recordAlone(actor, null, action, target, details + ": " + e.getMessage(), AuditLog.Result.FAILED);
            refreshImages(hostId);
            throw e;
        } catch (RuntimeException e) {
            audit.recordAlone(actor, null, action, target, details + ": " + e, AuditLog.Result.FAILED);
            throw e;
        }
        audit.recordAlone(actor, null, action, target, details + ": " + outcome.summary(), AuditLog.Result.OK);
        refreshImages(hostId);
        return outcome.value();
    }

    /** Reads the host's image list now and applies it, as the next image event would. */
    private void refreshImages(UUID hostId) {
        if (!hostApi.isConnected(hostId)) {
            return;
        }
        try {
            ApiResponse r = hostApi.forHost(hostId).get("/images/json");
            if (r.status() == 200) {
                List<ImageRow> rows = new ArrayList<>();
                r.json().forEach(i -> rows.add(ImageRow.fromDocker(i)));
                inventory.reconcileImages(hostId, rows, Instant.now());
            }
        } catch (IOException | RuntimeException e) {
            log.warn("host {}: could not re-read its images after a change ({}); its next image event will", hostId,
                    e.getMessage());
        }
    }

    static String checkedName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("not an image name or id: "
                    + (name == null ? "nothing" : name.length() > 80 ? name.substring(0, 80) + "..." : name));
        }
        return name;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** dockerd's {@code {"message": ...}} of an error answer, or the bare status when there is none. */
    static AgentErrorException agentError(int status, byte[] body) {
        String message = "the agent answered " + status;
        try {
            String m = JSON.readTree(body).path("message").asText("");
            if (!m.isEmpty()) {
                message = m;
            }
        } catch (IOException | RuntimeException notJson) {
            // keep the status
        }
        return new AgentErrorException(status, message);
    }
}
