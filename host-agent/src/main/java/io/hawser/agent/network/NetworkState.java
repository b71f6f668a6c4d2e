package io.hawser.agent.network;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code <data-root>/network/endpoints.json}: the bridge's subnet and the endpoint of every container that
 * runs, i.e. the IPAM (an address is in use exactly while its endpoint is listed) and the published ports to
 * bind again after an agent restart. Rewritten whole, through a temp file and a rename, on every change.
 */
final class NetworkState {

    private static final ObjectMapper JSON = new ObjectMapper();
    static final String FILE = "endpoints.json";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Stored(@JsonProperty("Subnet") String subnet, @JsonProperty("Endpoints") Map<String, Endpoint> endpoints) {}

    private final Path dir;

    NetworkState(Path dir) {
        this.dir = dir;
    }

    Stored load() {
        Path f = dir.resolve(FILE);
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            if (!Files.exists(f)) {
                return new Stored(null, Map.of());
            }
            Stored s = JSON.readValue(f.toFile(), Stored.class);
            return new Stored(s.subnet(), s.endpoints() == null ? Map.of() : s.endpoints());
        } catch (IOException e) {
            throw AgentException.system("read " + f, e);
        }
    }

    void save(String subnet, Map<String, Endpoint> endpoints) {
        Path f = dir.resolve(FILE);
        Path tmp = dir.resolve(FILE + ".tmp");
        try {
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Stored(subnet, new LinkedHashMap<>(endpoints))));
            Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AgentException.system("write " + f, e);
        }
    }
}
