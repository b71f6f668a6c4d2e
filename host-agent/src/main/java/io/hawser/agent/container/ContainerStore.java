package io.hawser.agent.container;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.time.Instant;
import io.hawser.agent.common.AgentException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * The containers of this agent: in memory, indexed by id and name, and on disk as
 * {@code <data-root>/containers/<id>/config.v2.json}, written to a temp file, fsynced and renamed.
 * Lookup follows dockerd (daemon.GetContainer): full id, then exact name, then a unique id prefix.
 */
public final class ContainerStore {

    private static final Logger LOG = Logger.getLogger(ContainerStore.class.getName());
    static final String CONFIG_FILE = "config.v2.json";
    static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(instants())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final Path root;
    private final Map<String, Container> byId = new LinkedHashMap<>();
    private final Map<String, String> idByName = new HashMap<>();

    public ContainerStore(Path containersDir) {
        this.root = containersDir;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw AgentException.system("create " + root, e);
        }
    }

    /** Instants as RFC 3339 strings (the agent does not ship jackson's java.time module). */
    private static SimpleModule instants() {
        return new SimpleModule("instants")
                .addSerializer(Instant.class, new JsonSerializer<>() {
                    @Override
                    public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                        g.writeString(v.toString());
                    }
                })
                .addDeserializer(Instant.class, new JsonDeserializer<>() {
                    @Override
                    public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                        return Instant.parse(p.getValueAsString());
                    }
                });
    }

    public Path root() {
        return root;
    }

    /** The stored records; unreadable ones are logged and skipped (and left on disk for an operator). */
    public List<ContainerRecord> loadRecords() {
        List<ContainerRecord> out = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.sorted().toList()) {
                Path file = dir.resolve(CONFIG_FILE);
                if (!ContainerId.isValid(dir.getFileName().toString()) || !Files.isRegularFile(file)) {
                    continue;
                }
                try {
                    out.add(MAPPER.readValue(file.toFile(), ContainerRecord.class));
                } catch (IOException e) {
                    LOG.warning("skipping container " + dir.getFileName() + ": cannot read " + file + ": " + e.getMessage());
                }
            }
        } catch (IOException e) {
            throw AgentException.system("list " + root, e);
        }
        return out;
    }

    public synchronized void save(ContainerRecord r) {
        Path file = root.resolve(r.id()).resolve(CONFIG_FILE);
        try {
            byte[] bytes = MAPPER.writeValueAsBytes(r);
            Path tmp = file.resolveSibling("." + CONFIG_FILE + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw AgentException.system("write " + file, e);
        }
    }

    /** Adds a container whose name is free; 409 with dockerd's message otherwise. */
    public synchronized void add(Container c) {
        reserveName(c.name(), c.id().value());
        byId.put(c.id().value(), c);
    }

    public synchronized void remove(Container c) {
        byId.remove(c.id().value());
        idByName.remove(c.name(), c.id().value());
    }

    public synchronized boolean nameInUse(String name) {
        return idByName.containsKey(name);
    }

    /** Moves {@code c} to {@code newName} in the index (the caller saves the record). */
    public synchronized void rename(Container c, String oldName, String newName) {
        reserveName(newName, c.id().value());
        idByName.remove(oldName, c.id().value());
    }

    private void reserveName(String name, String id) {
        String holder = idByName.get(name);
        if (holder != null && !holder.equals(id)) {
            throw AgentException.conflict("Conflict. The container name \"/" + name + "\" is already in use by container \""
                    + holder + "\". You have to remove (or rename) that container to be able to reuse that name.");
        }
        idByName.put(name, id);
    }

    /** Whether some container's id starts with {@code prefix}: new ids keep their short form unique. */
    public synchronized boolean idPrefixInUse(String prefix) {
        return byId.keySet().stream().anyMatch(id -> id.startsWith(prefix));
    }

    public synchronized Optional<Container> find(String idOrName) {
        if (idOrName == null || idOrName.isEmpty()) {
            return Optional.empty();
        }
        Container c = byId.get(idOrName);
        if (c != null) {
            return Optional.of(c);
        }
        String name = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        String id = idByName.get(name);
        if (id != null) {
            return Optional.ofNullable(byId.get(id));
        }
        List<Container> matches = byId.values().stream().filter(x -> x.id().value().startsWith(idOrName)).toList();
        if (matches.size() > 1) {
            throw AgentException.invalidArgument("multiple IDs found with provided prefix: " + idOrName);
        }
        return matches.stream().findFirst();
    }

    /** 404 "No such container: x" when none. */
    public Container get(String idOrName) {
        return find(idOrName).orElseThrow(() -> AgentException.notFound("No such container: " + idOrName));
    }

    /** All containers, newest first (as {@code docker ps} lists them). */
    public List<Container> list() {
        List<Container> all;
        synchronized (this) {
            all = new ArrayList<>(byId.values());
        }
        // sorted outside the store's lock: record() takes each container's lock, and removal holds a
        // container's lock while it takes the store's
        all.sort(Comparator.comparing((Container c) -> c.record().created()).reversed());
        return all;
    }
}
