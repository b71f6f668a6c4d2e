package io.hawser.console.localagent;

import io.hawser.console.HawserProperties;
import io.hawser.console.hosts.HostService;
import io.hawser.console.hosts.HostStatus;
import io.hawser.console.link.LinkRegistry;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The agent on the console's own machine, so that a new user sees that machine as the first host. The console starts
 * it as a child process once it serves requests, enrolls it with a single-use token it makes for itself (only while
 * the agent has no credential in its data root), restarts it with backoff when it dies, and stops it (SIGTERM) when
 * the console stops. Its containers outlive it by design: a restarted agent adopts them.
 */
@Component
class LocalAgent {

    private static final Logger log = LoggerFactory.getLogger(LocalAgent.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final LocalAgentProperties settings;
    private final LocalAgentPaths paths;
    private final HostService hosts;
    private final LinkRegistry links;
    private volatile boolean stopping;
    private volatile Process process;
    private Thread supervisor;

    LocalAgent(HawserProperties hawser, LocalAgentProperties settings, HostService hosts, LinkRegistry links) {
        this.settings = settings;
        this.paths = LocalAgentPaths.of(hawser.dataDir(), settings.execRoot());
        this.hosts = hosts;
        this.links = links;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (!(event.getApplicationContext() instanceof WebServerApplicationContext web)) {
            return;
        }
        int port = web.getWebServer().getPort();
        Optional<String> refusal = LocalAgentDecision.refusal(settings, LocalAgentDecision.isRoot(), port);
        if (refusal.isPresent()) {
            if (!refusal.get().isEmpty()) {
                log.warn(refusal.get());
            }
            return;
        }
        supervisor = new Thread(() -> supervise(port), "hawser-local-agent");
        supervisor.setDaemon(true);
        supervisor.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        Thread t = supervisor;
        if (t != null) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
        Process p = process;
        if (p != null && p.isAlive()) {
            log.info("Stopping the local agent (pid {}); its containers keep running", p.pid());
            terminate(p.toHandle());
        }
    }

    private void supervise(int port) {
        try {
            Files.createDirectories(paths.dataRoot());
            LeftoverAgent.stop(paths.pidFile(), paths.dataRoot(), STOP_GRACE);
            if (Files.exists(paths.log())) {
                Files.move(paths.log(), paths.log().resolveSibling("agent.log.1"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            log.error("No local agent: cannot prepare {}: {}", paths.dataRoot(), e.toString());
            return;
        }
        log.info("Local agent: export DOCKER_HOST=unix://{} (its log: {})", paths.socket(), paths.log());
        Duration backoff = Duration.ofSeconds(1);
        while (!stopping) {
            Instant started = Instant.now();
            try {
                Process p = launch(port);
                process = p;
                Files.writeString(paths.pidFile(), p.pid() + "\n");
                watch(p);
                if (stopping) {
                    return;
                }
                log.warn("The local agent exited with status {}; starting it again in {} s (its log: {})",
                        p.exitValue(), backoff.toSeconds(), paths.log());
            } catch (IOException e) {
                log.warn("Cannot start the local agent: {}; trying again in {} s", e.toString(), backoff.toSeconds());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Local agent: {}; trying again in {} s", e.toString(), backoff.toSeconds());
            }
            if (Duration.between(started, Instant.now()).compareTo(MAX_BACKOFF) > 0) {
                backoff = Duration.ofSeconds(1); // it ran a good while: this is a new failure, not a crash loop
            }
            try {
                Thread.sleep(backoff.toMillis());
            } catch (InterruptedException e) {
                return;
            }
            backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
        }
    }

    private Process launch(int port) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", settings.jar().toAbsolutePath().toString(),
                "--data-root", paths.dataRoot().toString(), "--socket", paths.socket().toString(),
                "--exec-root", paths.execRoot().toString(), "--cgroup-parent", settings.cgroupParent()));
        Optional<UUID> enrolled = enrolledHost();
        String token = null;
        if (enrolled.isEmpty()) {
            command.addAll(List.of("--console-url", "http://127.0.0.1:" + port));
            token = hosts.createLocalAgentToken().token();
            log.info("Local agent: enrolling this machine as a host");
        } else if (hosts.nameAndStatus(enrolled.get()).isPresent()) {
            command.addAll(List.of("--console-url", "http://127.0.0.1:" + port));
        } else {
            log.warn("Local agent: this machine's host ({}) was removed from the console, so the agent runs without a link; "
                    + "delete {} to add it again", enrolled.get(), paths.credential());
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.log().toFile()));
        builder.environment().remove("HAWSER_ADMIN_PASSWORD");
        builder.environment().remove("HAWSER_JOIN_TOKEN");
        if (token != null) {
            // In the environment, not on the command line: /proc/PID/cmdline is readable by every local user.
            builder.environment().put("HAWSER_JOIN_TOKEN", token);
        }
        builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_"));
        return builder.start();
    }

    /** Waits for the agent to exit, saying once when its host is ONLINE. */
    private void watch(Process p) throws InterruptedException {
        boolean announced = false;
        Instant giveUp = Instant.now().plus(Duration.ofMinutes(2));
        while (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
            if (!announced && Instant.now().isBefore(giveUp)) {
                Optional<UUID> id = enrolledHost();
                if (id.isPresent() && links.link(id.get()).isPresent()) {
                    var host = hosts.nameAndStatus(id.get());
                    if (host.isPresent() && host.get().getValue() == HostStatus.ONLINE) {
                        log.info("Local host {} is ONLINE (host id {})", host.get().getKey(), id.get());
                        announced = true;
                    }
                }
            }
        }
    }

    /** The host id from the agent's credential file ({@code <hostId>.<secret>}), if it enrolled. */
    private Optional<UUID> enrolledHost() {
        try {
            if (!Files.isRegularFile(paths.credential())) {
                return Optional.empty();
            }
            String line = Files.readString(paths.credential(), StandardCharsets.US_ASCII).strip();
            int dot = line.indexOf('.');
            return dot < 0 ? Optional.empty() : Optional.of(UUID.fromString(line.substring(0, dot)));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    static void terminate(ProcessHandle handle) {
        handle.destroy(); // SIGTERM: the agent closes its socket and link; containers are left running
        try {
            handle.onExit().get(STOP_GRACE.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
        }
    }
}
