package io.hawser.agent.api;

import io.hawser.agent.logs.ContainerLogs;
import io.hawser.agent.logs.LogSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/** Containers by id or name, each with a log file, a TTY flag and a running switch the test flips. */
final class FakeContainerLogs implements ContainerLogs {

    record Fake(String id, String name, Path logFile, boolean tty, AtomicBoolean runningFlag) implements LogSource {
        @Override
        public boolean running() {
            return runningFlag.get();
        }
    }

    private final Map<String, Fake> byKey = new ConcurrentHashMap<>();

    Fake add(String id, String name, Path logFile, boolean tty, boolean running) {
        Fake f = new Fake(id, name, logFile, tty, new AtomicBoolean(running));
        byKey.put(id, f);
        byKey.put(name, f);
        return f;
    }

    @Override
    public Optional<LogSource> find(String idOrName) {
        return Optional.ofNullable(byKey.get(idOrName.startsWith("/") ? idOrName.substring(1) : idOrName));
    }
}
