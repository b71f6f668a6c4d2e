package io.hawser.console.hosts.api;

import io.hawser.console.access.NotVisibleException;
import io.hawser.console.hosts.HostService;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.hawser.console.hosts.JoinToken;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/hosts}: the hosts the caller may see (HostService asks io.hawser.console.access). */
@RestController
@RequestMapping(path = "/api/hosts", produces = "application/json")
@Tag(name = "Hosts", description = "The fleet's hosts the caller may see")
class HostsController {

    private final HostService hosts;

    HostsController(HostService hosts) {
        this.hosts = hosts;
    }

    @GetMapping
    @Operation(summary = "List the hosts the caller may see, by name")
    List<HostJson> list() {
        return hosts.visibleHosts().stream().map(HostJson::of).toList();
    }

    @GetMapping("/{id}")
    @Operation(summary = "One host; 404 when there is none or it is not the caller's to see")
    HostJson get(@PathVariable UUID id) {
        return hosts.visibleHosts().stream().filter(h -> h.id().equals(id)).findFirst().map(HostJson::of)
                .orElseThrow(() -> new NotVisibleException("No such host: " + id));
    }

    /** What {@link #update} changes: a new name, and/or the complete new set of labels. */
    record HostUpdate(String name, Map<String, String> labels) {
    }

    @PatchMapping(path = "/{id}", consumes = "application/json")
    @Operation(summary = "Rename a host and/or replace its labels (administrators); audited")
    HostJson update(@PathVariable UUID id, @RequestBody HostUpdate update) {
        if (update.name() == null && update.labels() == null) {
            throw new IllegalArgumentException("nothing to change: give a name, labels or both");
        }
        if (update.name() != null) {
            hosts.rename(id, update.name());
        }
        if (update.labels() != null) {
            hosts.setLabels(id, update.labels());
        }
        return get(id);
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Remove a host with its inventory and events, and revoke its credential (administrators); audited")
    ResponseEntity<Void> remove(@PathVariable UUID id) {
        hosts.remove(id);
        return ResponseEntity.noContent().build();
    }

    /** A join token to create: how many hosts may enroll with it, for how long, and into which team (null: none). */
    record JoinTokenRequest(Integer maxUses, Integer validHours, Long teamId) {
    }

    @PostMapping(path = "/join-tokens", consumes = "application/json")
    @Operation(summary = "Create a join token (a global administrator, or a team admin for their team); the token is in "
            + "this answer only, the console keeps its hash; audited")
    ResponseEntity<JoinToken> createJoinToken(@RequestBody JoinTokenRequest request) {
        JoinToken token = hosts.createJoinToken(request.maxUses() == null ? 1 : request.maxUses(),
                Duration.ofHours(request.validHours() == null ? 24 : request.validHours()), request.teamId());
        return ResponseEntity.status(201).body(token);
    }
}
