package io.hawser.agent.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.hawser.agent.cgroups.Cgroup;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.introspect.ProcessTable;
import io.hawser.agent.introspect.Ps;
import io.hawser.agent.introspect.PsOutput;
import java.io.IOException;
import java.util.List;

/**
 * {@code GET /containers/{id}/top?ps_args=}, as dockerd answers it (daemon/top_unix.go, ContainerTop): the
 * arguments are checked first, then the container must run (409 "Container ID is not running"); the rows are
 * those of the host's {@code ps} (see {@link Ps}) whose PID is in the container's cgroup.
 */
final class ContainerTopHandler implements Endpoint {

    record TopWire(@JsonProperty("Processes") List<List<String>> processes, @JsonProperty("Titles") List<String> titles) {}

    private final ContainerViews containers;
    private final Ps ps;

    ContainerTopHandler(ContainerViews containers, Ps ps) {
        this.containers = containers;
        this.ps = ps;
    }

    @Override
    public void handle(ApiCall call) throws IOException {
        String psArgs = call.request().queryParam("ps_args");
        PsOutput.validateArgs(psArgs == null ? "" : psArgs);
        String id = call.pathParam("id");
        ContainerViews.ContainerView view = containers.find(id).orElseThrow(() -> AgentException.notFound("No such container: " + id));
        if (!view.running() || view.cgroup().isEmpty()) {
            throw AgentException.conflict("Container " + view.id() + " is not running");
        }
        List<Long> pids = view.cgroup().map(Cgroup::pids).orElse(List.of());
        ProcessTable table = ps.top(psArgs, pids);
        call.exchange().sendJson(200, new TopWire(table.processes(), table.titles()));
    }
}
