package io.hawser.console.containers.api;

import io.hawser.console.common.api.ApiErrors;
import io.hawser.console.common.api.Page;
import io.hawser.console.containers.ActionResult;
import io.hawser.console.containers.ContainerAction;
import io.hawser.console.containers.ContainerFilter;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.containers.ContainerSort;
import io.hawser.console.containers.FleetContainers;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/containers}: the fleet list (one query over the inventory, no fan-out) and the actions start, stop,
 * restart, kill and remove on one container, sent to its host. Who sees and who acts is decided in
 * {@link FleetContainers}; an action's {@link ActionResult#status()} becomes the answer's status.
 */
@RestController
@RequestMapping(path = "/api/containers", produces = "application/json")
@Tag(name = "Containers", description = "Every container on every host the caller may see, and actions on them")
class FleetContainersController {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    private final FleetContainers containers;

    FleetContainersController(FleetContainers containers) {
        this.containers = containers;
    }

    @GetMapping
    @Operation(summary = "List containers across the fleet",
            description = "Filters combine with AND. Sorted by the given keys, then by host and name.")
    Page<ContainerJson> list(
            @Parameter(description = "only this host (its id)") @RequestParam(required = false) UUID host,
            @Parameter(description = "only this state, e.g. running or exited") @RequestParam(required = false) String state,
            @Parameter(description = "image contains this (case-insensitive)") @RequestParam(required = false) String image,
            @Parameter(description = "name contains this (case-insensitive)") @RequestParam(required = false) String name,
            @Parameter(description = "has this label: key, or key=value") @RequestParam(required = false) String label,
            @Parameter(description = "free text searched in name, image, command and labels") @RequestParam(required = false) String q,
            @Parameter(description = "comma-separated keys among host, name, image, state, status, created, cpu, memory; "
                    + "a leading '-' sorts descending, e.g. -created,name") @RequestParam(required = false) String sort,
            @Parameter(description = "how many to skip") @RequestParam(defaultValue = "0") int offset,
            @Parameter(description = "page size, 1 to 1000") @RequestParam(defaultValue = "" + DEFAULT_LIMIT) int limit) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must not be negative");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT);
        }
        ContainerFilter filter = new ContainerFilter(host, state, image, name, label, q);
        List<ContainerJson> items = containers.list(filter, sortOf(sort), offset, limit).stream().map(ContainerJson::of).toList();
        return new Page<>(items, containers.count(filter), offset, limit);
    }

    @PostMapping("/{hostId}/{containerId}/start")
    @Operation(summary = "Start a container", responses = {
            @ApiResponse(responseCode = "204", description = "started"),
            @ApiResponse(responseCode = "304", description = "already running", content = @Content)})
    ResponseEntity<?> start(@PathVariable UUID hostId, @PathVariable String containerId) {
        return perform(ContainerAction.START, hostId, containerId);
    }

    @PostMapping("/{hostId}/{containerId}/stop")
    @Operation(summary = "Stop a container", responses = {
            @ApiResponse(responseCode = "204", description = "stopped"),
            @ApiResponse(responseCode = "304", description = "already stopped", content = @Content)})
    ResponseEntity<?> stop(@PathVariable UUID hostId, @PathVariable String containerId) {
        return perform(ContainerAction.STOP, hostId, containerId);
    }

    @PostMapping("/{hostId}/{containerId}/restart")
    @Operation(summary = "Restart a container", responses = @ApiResponse(responseCode = "204", description = "restarted"))
    ResponseEntity<?> restart(@PathVariable UUID hostId, @PathVariable String containerId) {
        return perform(ContainerAction.RESTART, hostId, containerId);
    }

    @PostMapping("/{hostId}/{containerId}/kill")
    @Operation(summary = "Kill a container (SIGKILL)", responses = {
            @ApiResponse(responseCode = "204", description = "killed"),
            @ApiResponse(responseCode = "409", description = "the container is not running")})
    ResponseEntity<?> kill(@PathVariable UUID hostId, @PathVariable String containerId) {
        return perform(ContainerAction.KILL, hostId, containerId);
    }

    @DeleteMapping("/{hostId}/{containerId}")
    @Operation(summary = "Remove a container", description = "A running container is refused (409), as docker rm does.",
            responses = {
                    @ApiResponse(responseCode = "204", description = "removed"),
                    @ApiResponse(responseCode = "409", description = "the container is running")})
    ResponseEntity<?> remove(@PathVariable UUID hostId, @PathVariable String containerId) {
        return perform(ContainerAction.REMOVE, hostId, containerId);
    }

    private ResponseEntity<?> perform(ContainerAction action, UUID hostId, String containerId) {
        ActionResult result = containers.perform(action, List.of(new ContainerRef(hostId, containerId))).get(0);
        if (result.status() == 204 || result.status() == 304) {
            return ResponseEntity.status(result.status()).build();
        }
        HttpStatus status = HttpStatus.resolve(result.status());
        return ApiErrors.error(status == null || status.value() < 400 ? HttpStatus.BAD_GATEWAY : status, result.message());
    }

    /** {@code -created,name} as sort orders; an unknown key is a 400. */
    static List<ContainerSort.Order> sortOf(String sort) {
        List<ContainerSort.Order> orders = new ArrayList<>();
        if (sort == null || sort.isBlank()) {
            return orders;
        }
        for (String part : sort.split(",")) {
            String key = part.strip();
            boolean descending = key.startsWith("-");
            if (descending) {
                key = key.substring(1);
            }
            ContainerSort by;
            try {
                by = ContainerSort.valueOf(key.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown sort key '" + key
                        + "': one of host, name, image, state, status, created, cpu, memory");
            }
            orders.add(new ContainerSort.Order(by, !descending));
        }
        return orders;
    }
}
