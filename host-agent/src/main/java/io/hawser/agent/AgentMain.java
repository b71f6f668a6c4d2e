package io.hawser.agent;

import io.hawser.agent.api.ContainerEndpoints;
import io.hawser.agent.api.ExecEndpoints;
import io.hawser.agent.exec.Execs;
import io.hawser.agent.api.ContainerViews;
import io.hawser.agent.api.ContainerViewsAdapter;
import io.hawser.agent.api.EngineApi;
import io.hawser.agent.api.EventsHandler;
import io.hawser.agent.api.ImageEndpoints;
import io.hawser.agent.api.NetworkEndpoints;
import io.hawser.agent.api.IntrospectEndpoints;
import io.hawser.agent.api.VolumeEndpoints;
import io.hawser.agent.api.http.HttpServer;
import io.hawser.agent.cgroups.CgroupDriver;
import io.hawser.agent.cgroups.SystemCpu;
import io.hawser.agent.cgroups.detect.CgroupDrivers;
import io.hawser.agent.common.AgentException;
import io.hawser.agent.common.BuildInfo;
import io.hawser.agent.container.Containers;
import io.hawser.agent.events.EventJournal;
import io.hawser.agent.image.ImageRemoval;
import io.hawser.agent.image.ImageStore;
import io.hawser.agent.link.LinkClient;
import io.hawser.agent.network.Networking;
import io.hawser.agent.runtime.ShimLauncher;
import io.hawser.agent.storage.SpecialFiles;
import io.hawser.agent.sys.HostInfo;
import io.hawser.agent.sys.JnrSyscalls;
import io.hawser.agent.sys.ShimBinary;
import io.hawser.agent.volume.Volumes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * {@code java -jar hawser-agent.jar [--data-root DIR] [--socket PATH] [--console-url URL [--join-token TOKEN]]}:
 * installs hawser-shim, serves the Docker Engine API until SIGTERM/SIGINT, then removes its socket; with a console
 * URL it also keeps the link to the console (io.hawser.agent.link).
 *
 * <p>Exit status: 0 after help, 1 when the agent cannot start (socket in use, data root unusable),
 * 2 for a usage error, 143/130 after SIGTERM/SIGINT (the JVM's).
 */
public final class AgentMain {

    private static final Logger LOG = Logger.getLogger(AgentMain.class.getName());

    private AgentMain() {}

    public static void main(String[] args) {
        CommandLine.Parsed parsed;
        try {
            parsed = CommandLine.parse(args);
        } catch (CommandLine.UsageException e) {
            System.err.println("hawser-agent: " + e.getMessage());
            System.err.println("Run 'java -jar hawser-agent.jar --help' for usage.");
            System.exit(2);
            return;
        }
        if (parsed.help()) {
            System.out.print(CommandLine.USAGE);
            return;
        }
        OneLineFormatter.install();
        try {
            run(parsed.config());
        } catch (AgentException e) {
            LOG.severe("hawser-agent cannot start: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(AgentConfig config) {
        BuildInfo build = BuildInfo.load();
        HostInfo host = HostInfo.detect();
        createDataRoot(config.dataRoot());

        AtomicReference<EngineApi> api = new AtomicReference<>();
        // Bind first: a second agent pointed at the same socket must fail before it touches anything.
        // Clients that connect before serve() wait in the listen backlog. The API is built after bind:
        // opening the image store cleans up its tmp/, which must not happen under a running agent.
        HttpServer server = HttpServer.bind(config.socket(), exchange -> api.get().handle(exchange),
                EngineApi.defaultHeaders(build));
        EventJournal events;
        try {
            events = EventJournal.open(config.dataRoot().resolve("events"), EventJournal.Options.defaults());
        } catch (AgentException e) {
            server.close();
            throw e;
        }
        // The JVM runs shutdown hooks on SIGTERM and SIGINT; closing removes the socket file so the next
        // start (and clients) do not meet a dead socket.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            events.close();
        }, "hawser-shutdown"));

        ShimBinary.Installed shim;
        try {
            shim = ShimBinary.install(config.dataRoot(), host);
            Clock clock = Clock.systemUTC();
            ImageStore images = ImageStore.open(config.dataRoot(), SpecialFiles.system(), events, clock);
            CgroupDriver cgroups = CgroupDrivers.detect();
            Volumes volumes = Volumes.open(config.dataRoot(), events, clock); // <data-root>/volumes/
            // Re-adopts the containers that kept running while the agent was down.
            Containers containers = Containers.open(config.dataRoot(), config.execRoot(), images, cgroups,
                    config.cgroupParent(), new ShimLauncher(shim.path()), new JnrSyscalls(), events, clock,
                    SystemCpu.read().onlineCpus(),
                    Networking.open(config.dataRoot(), config.bridgeName(), config.bridgeSubnet()), volumes);
            // For the top, diff, stats and info endpoints.
            ContainerViews views = new ContainerViewsAdapter(containers);
            EngineApi.Builder routes = EngineApi.standardRoutes(build, host)
                    .route("GET", "/events", new EventsHandler(events));
            ContainerEndpoints.register(routes, containers, images, clock);
            // docker exec and the terminal resizes (container and exec)
            ExecEndpoints.register(routes, new Execs(containers, new ShimLauncher(shim.path()), new JnrSyscalls(),
                    cgroups.version(), events, clock));
            VolumeEndpoints.register(routes, volumes);
            NetworkEndpoints.register(routes, containers.networking());
            IntrospectEndpoints.register(routes, views, images, cgroups, config.dataRoot(), build, host);
            // commit, save/load, export, cp (issue 4)
            io.hawser.agent.api.TransferEndpoints.register(routes, containers, images, new JnrSyscalls());
            // docker build, the classic builder (issue 4)
            io.hawser.agent.api.BuildHandler.register(routes, new io.hawser.agent.build.Builder(config.dataRoot(), images,
                    containers, new JnrSyscalls(), new JnrSyscalls()));
            api.set(ImageEndpoints.register(routes, images, new ImageRemoval(images, containers), host.arch())
                    .build());
        } catch (AgentException e) {
            server.close();
            events.close();
            throw e;
        }
        LOG.info("hawser-shim " + (shim.rewritten() ? "installed" : "up to date") + " at " + shim.path());
        LOG.info("hawser-agent " + build.version() + " listening on unix://" + server.socketPath()
                + ", data root " + config.dataRoot());
        if (config.consoleUrl() != null) {
            new LinkClient(config.consoleUrl(), config.joinToken(), config.dataRoot(), config.socket(), build.version()).start();
        }
        server.serve();
    }

    /** 0711 like a daemon's state folder: others may traverse to what is shared, not list it. */
    private static void createDataRoot(Path dataRoot) {
        try {
            if (!Files.isDirectory(dataRoot)) {
                Files.createDirectories(dataRoot);
                Files.setPosixFilePermissions(dataRoot, PosixFilePermissions.fromString("rwx--x--x"));
            }
        } catch (IOException e) {
            throw AgentException.system("create data root " + dataRoot, e);
        }
    }
}
