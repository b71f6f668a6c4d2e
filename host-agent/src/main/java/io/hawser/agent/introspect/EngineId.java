package io.hawser.agent.introspect;

import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * The agent's stable {@code ID} in {@code docker info}: a random UUID made on first start and kept in
 * {@code <data-root>/engine-id}, as dockerd 23+ keeps its own (daemon/id.go). Written to a temp file and
 * renamed so a crash never leaves a half-written id.
 */
public final class EngineId {

    static final String FILE = "engine-id";

    private EngineId() {}

    public static String loadOrCreate(Path dataRoot) {
        Path file = dataRoot.resolve(FILE);
        try {
            if (Files.exists(file)) {
                String id = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (!id.isEmpty()) {
                    return id;
                }
            }
            Files.createDirectories(dataRoot);
            String id = UUID.randomUUID().toString();
            Path tmp = Files.createTempFile(dataRoot, FILE, ".tmp");
            Files.writeString(tmp, id + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return id;
        } catch (IOException e) {
            throw AgentException.system("read or create the engine id " + file, e);
        }
    }
}
