package io.hawser.agent.build;

import com.fasterxml.jackson.databind.JsonNode;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.container.Container;
import io.hawser.agent.container.ContainerConfig;
import io.hawser.agent.container.ContainerState;
import io.hawser.agent.container.Containers;
import io.hawser.agent.container.HostConfig;
import io.hawser.agent.logs.JsonFileLogReader;
import io.hawser.agent.logs.LogReadOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * RUN: a container of the image so far, created and started as {@code docker run} does it (same namespaces,
 * cgroup, capabilities and device policy; nothing from the image ever runs outside it), its output streamed
 * from its json-file log, its upper directory the step's layer. dockerd's builder does the same
 * (builder/dockerfile/internals.go: create, " ---> Running in", commit, "Removing intermediate container").
 */
final class RunStep {

    /** The runtime's own files in a container's upper directory (see ContainerCommit.INIT_PATHS). */
    static final Set<String> INIT_PATHS = Set.of("proc", "sys", "dev", "etc/hostname", "etc/hosts", "etc/resolv.conf", ".dockerenv");

    private final Containers containers;

    RunStep(Containers containers) {
        this.containers = containers;
    }

    /** The command RUN runs: shell form through /bin/sh -c, exec form as is. */
    static List<String> command(Instruction ins) {
        return ins.isJson() ? ins.json() : List.of("/bin/sh", "-c", ins.args());
    }

    /** dockerd's history line: {@code |2 A=1 B=2 /bin/sh -c ...} when build args are in scope. */
    static String historyLine(List<String> cmd, Map<String, String> runArgs) {
        String joined = String.join(" ", cmd);
        if (runArgs.isEmpty()) {
            return joined;
        }
        List<String> parts = new ArrayList<>();
        parts.add("|" + runArgs.size());
        runArgs.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts) + " " + joined;
    }

    StepChanges run(Stage st, List<String> cmd, BuildRequest request, BuildOutput out) throws InterruptedException {
        List<String> env = new ArrayList<>();
        st.runArgs().forEach((k, v) -> env.add(k + "=" + v));
        ContainerConfig config = new ContainerConfig(null, null, st.config.user(), false, false, false, null, false, false,
                false, env, cmd, st.imageId, null, st.config.workingDir(), List.of(""), null, null, null, null);
        String network = request.networkMode() == null || request.networkMode().isEmpty() ? null : request.networkMode();
        HostConfig host = new HostConfig(0, 0, 0, 0, 0, 0, null, null, null, null, false, null, network, (JsonNode) null,
                null, null, null, null, null, null, false, false, false, null);
        Container c = containers.get(containers.create(null, config, host).id());
        boolean ok = false;
        try {
            out.stream(" ---> Running in " + c.id().shortId() + "\n");
            long exitsBefore = containers.exitsSoFar(c);
            containers.runner().start(c);
            try {
                new JsonFileLogReader(c.logPath()).read(LogReadOptions.all().withFollow(true),
                        e -> out.stream(new String(e.text(), StandardCharsets.UTF_8)),
                        () -> c.record().state().status().hasProcess(), () -> false);
            } catch (java.io.IOException e) {
                throw AgentException.system("read the output of " + c.id().shortId(), e);
            }
            containers.await(c, Containers.WaitCondition.NEXT_EXIT, exitsBefore);
            ContainerState state = containers.await(c, Containers.WaitCondition.NOT_RUNNING, exitsBefore);
            if (state.exitCode() != 0 || !state.error().isEmpty()) {
                throw AgentException.invalidArgument(state.error().isEmpty()
                        ? "The command '" + String.join(" ", cmd) + "' returned a non-zero code: " + state.exitCode()
                        : state.error());
            }
            ok = true;
        } finally {
            if (!ok && request.forceRm()) {
                remove(c, out);
            }
        }
        return new StepChanges() {
            @Override
            public Path upper() {
                return c.rootfs().upperDir();
            }

            @Override
            public Predicate<String> exclude() {
                return INIT_PATHS::contains;
            }

            @Override
            public void close() {
                if (request.rm()) {
                    remove(c, out);
                }
            }
        };
    }

    private void remove(Container c, BuildOutput out) {
        try {
            out.stream("Removing intermediate container " + c.id().shortId() + "\n");
            containers.remove(c, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (AgentException e) {
            // already gone
        }
    }
}
