// Hawser fleet load check (issue 5): simulated agents on the real link protocol, then the fleet list's latency, the
// console's RSS and the event latency. Run by bench/fleet.sh as a single-file program (java -cp postgresql.jar
// FleetBench.java ...); JDK only besides the PostgreSQL driver. What it measures and how: bench/README.md.

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

public class FleetBench {

    static final String[] IMAGES = {"nginx:1.25", "redis:7.2", "postgres:15", "registry.example/api:2.3.1",
            "registry.example/worker:2.3.1", "busybox:1.36", "grafana/grafana:10.2", "prom/prometheus:v2.48",
            "registry.example/web:5.0.0", "haproxy:2.8"};
    static final String[] ROLES = {"web", "api", "worker", "cache", "db", "batch", "proxy", "metrics", "queue", "cron"};

    static String console;
    static String adminPassword;
    static String jdbcUrl;
    static int agents = 20;
    static int containersPerAgent = 500;
    static int runs = 200;
    static int events = 50;
    static long consolePid;
    static String extraSql;
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final ScheduledExecutorService TIMERS = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "sim-timers");
        t.setDaemon(true);
        return t;
    });

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--console" -> console = v;
                case "--admin-password" -> adminPassword = v;
                case "--jdbc" -> jdbcUrl = v;
                case "--agents" -> agents = Integer.parseInt(v);
                case "--containers" -> containersPerAgent = Integer.parseInt(v);
                case "--runs" -> runs = Integer.parseInt(v);
                case "--events" -> events = Integer.parseInt(v);
                case "--console-pid" -> consolePid = Long.parseLong(v);
                case "--extra-sql" -> extraSql = v;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Map<String, String> figures = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(jdbcUrl)) {
            long rssIdle = rssKb();
            log("console RSS before the fleet: " + rssIdle / 1024 + " MB");

            // 1. One join token for the whole fleet, made as an administrator makes one: POST /api/hosts/join-tokens.
            String basic = "Basic " + Base64.getEncoder().encodeToString(("admin:" + adminPassword).getBytes(StandardCharsets.UTF_8));
            java.net.http.HttpResponse<String> made = HTTP.send(java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(console + "/api/hosts/join-tokens"))
                    .header("Authorization", basic).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"maxUses\": " + agents + ", \"validHours\": 1}"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            if (made.statusCode() != 201) {
                throw new IllegalStateException("join token: " + made.statusCode() + " " + made.body());
            }
            java.util.regex.Matcher tokenField = java.util.regex.Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(made.body());
            if (!tokenField.find()) {
                throw new IllegalStateException("no token in " + made.body());
            }
            List<String> tokens = java.util.Collections.nCopies(agents, tokenField.group(1));

            // 2. Simulated agents: enroll over HTTP, link, hello + inventory, pings.
            long t0 = System.nanoTime();
            List<SimAgent> sims = new ArrayList<>();
            for (int i = 0; i < agents; i++) {
                SimAgent sim = new SimAgent(i);
                sim.enroll(tokens.get(i));
                sim.connect();
                sims.add(sim);
            }
            long expected = (long) agents * containersPerAgent;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (true) {
                long n = single(db, "SELECT count(*) FROM containers c JOIN hosts h ON h.id = c.host_id "
                        + "WHERE h.hostname LIKE 'bench-host-%' AND h.status = 'ONLINE'");
                if (n == expected) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + n + " of " + expected + " containers in the inventory after 5 min");
                }
                Thread.sleep(100);
            }
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            log(String.format(Locale.ROOT, "%d agents linked, %d containers in PostgreSQL after %.1f s", agents, expected,
                    loadSeconds));
            figures.put("inventory load", String.format(Locale.ROOT, "%d containers from %d agents in %.1f s", expected,
                    agents, loadSeconds));
            long total = single(db, "SELECT count(*) FROM containers");
            figures.put("containers table", total + " rows");
            if (extraSql != null) {
                // Candidate indexes (bench/README.md): applied after the load, then the same measurements.
                long t = System.nanoTime();
                try (Statement st = db.createStatement()) {
                    st.execute(Files.readString(Path.of(extraSql)));
                }
                figures.put("extra SQL", extraSql + String.format(Locale.ROOT, " (applied in %.0f ms)",
                        (System.nanoTime() - t) / 1e6));
            }
            try (Statement st = db.createStatement()) {
                st.execute("ANALYZE containers");
                st.execute("ANALYZE hosts");
            }

            // A team owning half the hosts, with a viewer: the non-admin path of the visibility rule.
            setUpViewer(db, sims);

            // 3. The fleet list queries, as FleetContainers.list and count issue them.
            Map<String, Stats> results = new LinkedHashMap<>();
            results.put("grid first page (admin): list 50 + count", timeList(db, true, Filter.none(), 50));
            results.put("grid first page (viewer, 10 hosts): list 50 + count", timeList(db, false, Filter.none(), 50));
            results.put("filter state=running, image~nginx, name~web: list 50 + count",
                    timeList(db, true, new Filter(null, "running", "nginx", "web", null, null), 50));
            results.put("filter label tier=front + host: list 50 + count",
                    timeList(db, true, new Filter(sims.get(3).hostId, null, null, null, "tier=front", null), 50));
            results.put("free-text search 'team-7': list 50 + count",
                    timeList(db, true, new Filter(null, null, null, null, null, "team-7"), 50));

            // 3b. The same through the REST API, as a script sees it: HTTP, the console's own FleetContainers and
            // Access code, JSON. With API tokens: HTTP basic would time bcrypt (cost 12) on every request.
            String adminToken = apiToken(db, "admin");
            String viewerToken = apiToken(db, "bench-viewer");
            results.put("REST GET /api/containers?limit=50 (admin)", timeRest(adminToken, "/api/containers?limit=50"));
            results.put("REST GET /api/containers?limit=50 (viewer, 10 hosts)", timeRest(viewerToken, "/api/containers?limit=50"));
            results.put("REST GET /api/containers?state=running&image=nginx&name=web",
                    timeRest(adminToken, "/api/containers?state=running&image=nginx&name=web&limit=50"));
            results.put("REST GET /api/containers?q=team-7", timeRest(adminToken, "/api/containers?q=team-7&limit=50"));

            // 4. Console RSS with the fleet linked and after the queries.
            long rss = rssKb();
            String heap = jcmd("GC.run") == null ? "n/a" : heapUsed();
            long rssAfterGc = rssKb();

            // 5. Event latency: an agent sends a container event; until the console's tables show it.
            Stats eventStats = timeEvents(db, sims);

            for (SimAgent sim : sims) {
                sim.close();
            }

            System.out.println();
            System.out.printf("Hawser fleet load check: %d simulated agents x %d containers = %d containers%n", agents,
                    containersPerAgent, expected);
            figures.forEach((k, v) -> System.out.printf("  %s: %s%n", k, v));
            System.out.println();
            System.out.printf("| %-62s | %9s | %9s | %9s | %-8s | %s |%n", "measure", "median", "p95", "max", "target", "met");
            System.out.printf("| %-62s | %9s | %9s | %9s | %-8s | %s |%n", "-".repeat(62), "-".repeat(9), "-".repeat(9),
                    "-".repeat(9), "-".repeat(8), "---");
            for (Map.Entry<String, Stats> e : results.entrySet()) {
                Stats s = e.getValue();
                System.out.printf(Locale.ROOT, "| %-62s | %6.2f ms | %6.2f ms | %6.2f ms | %-8s | %s |%n",
                        e.getKey() + " (n=" + s.n() + ")", s.median(), s.p95(), s.max(), "p95<100ms", s.p95() < 100 ? "yes" : "NO");
            }
            System.out.printf(Locale.ROOT, "| %-62s | %6.2f ms | %6.2f ms | %6.2f ms | %-8s | %s |%n",
                    "event -> fleet_events + containers row (n=" + eventStats.n() + ")", eventStats.median(),
                    eventStats.p95(), eventStats.max(), "<1s", eventStats.max() < 1000 ? "yes" : "NO");
            System.out.printf(Locale.ROOT, "| %-62s | %9s | %9s | %9s | %-8s | %s |%n", "console RSS (VmRSS), fleet linked",
                    rss / 1024 + " MB", "", "", "", "");
            System.out.printf(Locale.ROOT, "| %-62s | %9s | %9s | %9s | %-8s | %s |%n", "console RSS after a full GC",
                    rssAfterGc / 1024 + " MB", "", "", "", "");
            System.out.printf(Locale.ROOT, "| %-62s | %9s | %9s | %9s | %-8s | %s |%n", "console Java heap used after a full GC",
                    heap, "", "", "", "");
            System.out.printf(Locale.ROOT, "| %-62s | %9s | %9s | %9s | %-8s | %s |%n", "console RSS before the fleet",
                    rssIdle / 1024 + " MB", "", "", "", "");
            System.out.printf(Locale.ROOT, "| %-62s | %9s | %9s | %9s | %-8s | %s |%n", "console peak RSS (VmHWM)",
                    hwmKb() / 1024 + " MB", "", "", "", "");
            System.out.println();
            System.out.println("Query plans (EXPLAIN ANALYZE, one run each):");
            explain(db, "grid first page (admin)", true, Filter.none(), 50);
            explain(db, "filter state/image/name", true, new Filter(null, "running", "nginx", "web", null, null), 50);
            explain(db, "free-text search", true, new Filter(null, null, null, null, null, "team-7"), 50);
        }
        System.exit(0);
    }

    // ---- the fleet list, exactly as io.hawser.console.containers.FleetContainers builds it

    record Filter(UUID host, String state, String image, String name, String label, String search) {
        static Filter none() {
            return new Filter(null, null, null, null, null, null);
        }
    }

    static final String VISIBLE = """
            (? OR EXISTS (SELECT 1 FROM host_teams mine JOIN team_members m ON m.team_id = mine.team_id
                               JOIN users u ON u.id = m.user_id
                               WHERE mine.host_id = c.host_id AND u.username = ?))""";

    static String where(Filter f, List<Object> params, boolean admin) {
        params.add(admin);
        params.add(admin ? "bench-admin" : "bench-viewer");
        List<String> parts = new ArrayList<>(List.of(VISIBLE));
        if (f.host() != null) {
            parts.add("c.host_id = ?");
            params.add(f.host());
        }
        if (f.state() != null) {
            parts.add("c.state = ?");
            params.add(f.state());
        }
        if (f.image() != null) {
            parts.add("c.image ILIKE ? ESCAPE '\\'");
            params.add("%" + f.image() + "%");
        }
        if (f.name() != null) {
            parts.add("c.name ILIKE ? ESCAPE '\\'");
            params.add("%" + f.name() + "%");
        }
        if (f.label() != null) {
            int eq = f.label().indexOf('=');
            parts.add("c.labels @> jsonb_build_object(CAST(? AS text), CAST(? AS text))");
            params.add(f.label().substring(0, eq));
            params.add(f.label().substring(eq + 1));
        }
        if (f.search() != null) {
            parts.add("c.search_text LIKE lower(?) ESCAPE '\\'");
            params.add("%" + f.search() + "%");
        }
        return String.join(" AND ", parts);
    }

    static String listSql(String where) {
        return """
                SELECT c.host_id, h.name AS host_name, c.container_id, c.name, c.image, c.command, c.state,
                       c.status, c.labels::text AS labels, c.created, c.cpu_percent, c.memory_usage, c.memory_limit
                FROM containers c JOIN hosts h ON h.id = c.host_id
                WHERE %s ORDER BY h.name, c.name, c.container_id OFFSET ? LIMIT ?""".formatted(where);
    }

    /** One list page plus the count, each a fresh PreparedStatement (as JdbcClient does), rows read as the service does. */
    static int listAndCount(Connection db, boolean admin, Filter f, int limit) throws Exception {
        List<Object> params = new ArrayList<>();
        String where = where(f, params, admin);
        int rows = 0;
        try (PreparedStatement st = db.prepareStatement(listSql(where))) {
            int i = bind(st, params);
            st.setInt(i++, 0);
            st.setInt(i, limit);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    rs.getObject("host_id", UUID.class);
                    rs.getString("host_name");
                    rs.getString("container_id");
                    rs.getString("name");
                    rs.getString("image");
                    rs.getString("command");
                    rs.getString("state");
                    rs.getString("status");
                    rs.getString("labels");
                    rs.getTimestamp("created");
                    rs.getObject("cpu_percent");
                    rs.getObject("memory_usage");
                    rs.getObject("memory_limit");
                    rows++;
                }
            }
        }
        params.clear();
        where = where(f, params, admin);
        try (PreparedStatement st = db.prepareStatement("SELECT count(*) FROM containers c JOIN hosts h ON h.id = c.host_id "
                + "WHERE " + where)) {
            bind(st, params);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                rs.getInt(1);
            }
        }
        return rows;
    }

    static int bind(PreparedStatement st, List<Object> params) throws Exception {
        int i = 1;
        for (Object p : params) {
            st.setObject(i++, p);
        }
        return i;
    }

    static Stats timeList(Connection db, boolean admin, Filter f, int limit) throws Exception {
        for (int i = 0; i < 20; i++) {
            listAndCount(db, admin, f, limit);
        }
        double[] ms = new double[runs];
        int rows = 0;
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            rows = listAndCount(db, admin, f, limit);
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        log(String.format(Locale.ROOT, "%s: %d rows on the page, median %.2f ms", f, rows, new Stats(ms).median()));
        return new Stats(ms);
    }

    /** An API token for {@code user}, stored as the console stores one (ApiTokens: SHA-256 of the secret). */
    static String apiToken(Connection db, String user) throws Exception {
        String secret = "hwt_" + secret();
        try (PreparedStatement st = db.prepareStatement("INSERT INTO api_tokens (user_id, name, token_hash, expires_at) "
                + "SELECT id, 'bench', ?, now() + interval '1 hour' FROM users WHERE username = ?")) {
            st.setBytes(1, sha256(secret));
            st.setString(2, user);
            if (st.executeUpdate() != 1) {
                throw new IllegalStateException("no user " + user);
            }
        }
        return secret;
    }

    static Stats timeRest(String token, String path) throws Exception {
        java.net.http.HttpRequest request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(console + path))
                .header("Authorization", "Bearer " + token).GET().build();
        String body = "";
        for (int i = 0; i < 20; i++) {
            java.net.http.HttpResponse<String> r = HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
            }
            body = r.body();
        }
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            HTTP.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
            ms[i] = (System.nanoTime() - start) / 1e6;
        }
        int total = body.indexOf("\"total\":");
        log(String.format(Locale.ROOT, "%s: %s, median %.2f ms", path,
                total < 0 ? "?" : body.substring(total, Math.min(body.length(), total + 16)), new Stats(ms).median()));
        return new Stats(ms);
    }

    static void explain(Connection db, String title, boolean admin, Filter f, int limit) throws Exception {
        for (boolean count : new boolean[] {false, true}) {
            List<Object> params = new ArrayList<>();
            String where = where(f, params, admin);
            String sql = count ? "SELECT count(*) FROM containers c JOIN hosts h ON h.id = c.host_id WHERE " + where
                    : listSql(where);
            try (PreparedStatement st = db.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF) " + sql)) {
                int i = bind(st, params);
                if (!count) {
                    st.setInt(i++, 0);
                    st.setInt(i, limit);
                }
                System.out.println("-- " + title + (count ? " (count)" : " (page)"));
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        System.out.println("   " + rs.getString(1));
                    }
                }
            }
        }
    }

    static void setUpViewer(Connection db, List<SimAgent> sims) throws Exception {
        try (Statement st = db.createStatement()) {
            st.execute("INSERT INTO users (username, password_hash) VALUES ('bench-viewer', 'x')");
            st.execute("INSERT INTO teams (name) VALUES ('bench-team')");
            st.execute("INSERT INTO team_members (team_id, user_id, role) SELECT t.id, u.id, 'VIEWER' FROM teams t, users u "
                    + "WHERE t.name = 'bench-team' AND u.username = 'bench-viewer'");
        }
        for (int i = 0; i < sims.size(); i += 2) {
            try (PreparedStatement st = db.prepareStatement("INSERT INTO host_teams (host_id, team_id) "
                    + "SELECT ?, id FROM teams WHERE name = 'bench-team'")) {
                st.setObject(1, sims.get(i).hostId);
                st.executeUpdate();
            }
        }
    }

    // ---- events

    static Stats timeEvents(Connection db, List<SimAgent> sims) throws Exception {
        double[] ms = new double[events];
        try (PreparedStatement poll = db.prepareStatement("""
                SELECT (SELECT count(*) FROM fleet_events WHERE host_id = ? AND time_nano = ?) AS events,
                       (SELECT state FROM containers WHERE host_id = ? AND container_id = ?) AS state""")) {
            for (int e = 0; e < events; e++) {
                SimAgent sim = sims.get(e % sims.size());
                int k = e / sims.size();
                boolean wasRunning = sim.running[k];
                String action = wasRunning ? "die" : "start";
                String newState = wasRunning ? "exited" : "running";
                long timeNano = System.currentTimeMillis() * 1_000_000L + e;
                String id = sim.containerId(k);
                sim.running[k] = !wasRunning;
                String message = "{\"type\":\"event\",\"event\":{\"Type\":\"container\",\"Action\":\"" + action
                        + "\",\"Actor\":{\"ID\":\"" + id + "\",\"Attributes\":{\"name\":\"" + sim.name(k) + "\",\"image\":\""
                        + sim.image(k) + "\"}},\"scope\":\"local\",\"time\":" + timeNano / 1_000_000_000L + ",\"timeNano\":"
                        + timeNano + "},\"container\":" + sim.container(k) + "}";
                long start = System.nanoTime();
                sim.send(message);
                long deadline = start + TimeUnit.SECONDS.toNanos(30);
                while (true) {
                    poll.setObject(1, sim.hostId);
                    poll.setLong(2, timeNano);
                    poll.setObject(3, sim.hostId);
                    poll.setString(4, id);
                    try (ResultSet rs = poll.executeQuery()) {
                        rs.next();
                        if (rs.getLong(1) == 1 && newState.equals(rs.getString(2))) {
                            break;
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("event " + e + " not in the console's tables after 30 s");
                    }
                    Thread.sleep(0, 500_000);
                }
                ms[e] = (System.nanoTime() - start) / 1e6;
                Thread.sleep(100);
            }
        }
        return new Stats(ms);
    }

    // ---- a simulated agent: the link protocol of docs/decisions/0004-agent-link.md

    static final class SimAgent implements WebSocket.Listener {
        final int index;
        final String hostname;
        final boolean[] running;
        UUID hostId;
        String credential;
        WebSocket ws;
        private final java.io.ByteArrayOutputStream partial = new java.io.ByteArrayOutputStream();

        SimAgent(int index) {
            this.index = index;
            this.hostname = String.format(Locale.ROOT, "bench-host-%02d", index + 1);
            this.running = new boolean[containersPerAgent];
            for (int k = 0; k < containersPerAgent; k++) {
                running[k] = k % 5 != 4; // 80 % running
            }
        }

        void enroll(String token) throws Exception {
            String body = "{\"token\":\"" + token + "\",\"hostname\":\"" + hostname + "\",\"agentVersion\":\"bench-sim\"}";
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(console + "/api/agent/enroll"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("enroll " + hostname + ": HTTP " + r.statusCode() + " " + r.body());
            }
            hostId = UUID.fromString(field(r.body(), "hostId"));
            credential = field(r.body(), "credential");
        }

        void connect() throws Exception {
            ws = HTTP.newWebSocketBuilder().header("Authorization", "Bearer " + hostId + "." + credential)
                    .buildAsync(URI.create(console.replaceFirst("^http", "ws") + "/agent-link"), this).get(60, TimeUnit.SECONDS);
            send("{\"type\":\"hello\",\"agentVersion\":\"bench-sim\",\"facts\":{\"hostname\":\"" + hostname
                    + "\",\"kernelVersion\":\"6.1.0-bench\",\"operatingSystem\":\"Debian GNU/Linux 12 (bookworm)\","
                    + "\"cgroupVersion\":\"2\",\"cpus\":8,\"memoryBytes\":34359738368}}");
            StringBuilder inv = new StringBuilder("{\"type\":\"inventory\",\"containers\":[");
            for (int k = 0; k < containersPerAgent; k++) {
                inv.append(k == 0 ? "" : ",").append(container(k));
            }
            inv.append("],\"images\":[");
            for (int m = 0; m < IMAGES.length; m++) {
                inv.append(m == 0 ? "" : ",").append("{\"Id\":\"sha256:").append(hex("image-" + m))
                        .append("\",\"RepoTags\":[\"").append(IMAGES[m]).append("\"],\"Size\":").append(10_000_000 + m)
                        .append(",\"Created\":1700000000,\"Labels\":{}}");
            }
            send(inv.append("]}").toString());
            TIMERS.scheduleWithFixedDelay(() -> {
                try {
                    send("{\"type\":\"ping\"}");
                } catch (Exception e) {
                    log(hostname + ": ping: " + e);
                }
            }, 5, 5, TimeUnit.SECONDS);
        }

        String containerId(int k) {
            return hex(hostname + "/" + k);
        }

        String name(int k) {
            return ROLES[k % ROLES.length] + "-" + k + "-" + hostname.substring("bench-host-".length());
        }

        String image(int k) {
            return IMAGES[(k / ROLES.length) % IMAGES.length];
        }

        String container(int k) {
            boolean up = running[k];
            String team = "team-" + (k % 12);
            return "{\"Id\":\"" + containerId(k) + "\",\"Names\":[\"/" + name(k) + "\"],\"Image\":\"" + image(k)
                    + "\",\"ImageID\":\"sha256:" + hex("image-" + ((k / ROLES.length) % IMAGES.length)) + "\",\"Command\":\""
                    + ROLES[k % ROLES.length] + " --serve --port " + (8000 + k % 100) + "\",\"Created\":"
                    + (1_700_000_000L + k * 60L) + ",\"State\":\"" + (up ? "running" : "exited") + "\",\"Status\":\""
                    + (up ? "Up 3 hours" : "Exited (0) 2 hours ago") + "\",\"Labels\":{\"app\":\"" + ROLES[k % ROLES.length]
                    + "\",\"tier\":\"" + (k % 3 == 0 ? "front" : "back") + "\",\"team\":\"" + team
                    + "\",\"com.example.release\":\"r" + (k % 40) + "\"},\"Ports\":[{\"PrivatePort\":" + (8000 + k % 100)
                    + ",\"Type\":\"tcp\"}]}";
        }

        synchronized void send(String json) throws Exception {
            byte[] payload = json.getBytes(StandardCharsets.UTF_8);
            ByteBuffer frame = ByteBuffer.allocate(5 + payload.length);
            frame.put((byte) 0).putInt(0).put(payload).flip(); // CONTROL frame on channel 0
            ws.sendBinary(frame, true).get(60, TimeUnit.SECONDS);
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            partial.write(bytes, 0, bytes.length);
            if (last) {
                ByteBuffer message = ByteBuffer.wrap(partial.toByteArray());
                partial.reset();
                int type = message.get();
                int channel = message.getInt();
                byte[] payload = new byte[message.remaining()];
                message.get(payload);
                String text = new String(payload, StandardCharsets.UTF_8);
                if (type == 0 && text.contains("\"ping\"")) {
                    CompletableFuture.runAsync(() -> {
                        try {
                            send("{\"type\":\"pong\"}");
                        } catch (Exception e) {
                            log(hostname + ": pong: " + e);
                        }
                    });
                } else if (type == 1) { // OPEN: a simulated host serves no Engine API; CLOSE the channel at once
                    CompletableFuture.runAsync(() -> {
                        ByteBuffer close = ByteBuffer.allocate(5).put((byte) 4).putInt(channel).flip();
                        synchronized (this) {
                            ws.sendBinary(close, true).join();
                        }
                    });
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            log(hostname + ": link error: " + error);
        }

        void close() {
            ws.abort();
        }
    }

    // ---- small things

    record Stats(double[] samples) {
        Stats {
            samples = samples.clone();
            Arrays.sort(samples);
        }

        int n() {
            return samples.length;
        }

        double median() {
            int n = samples.length;
            return n % 2 == 1 ? samples[n / 2] : (samples[n / 2 - 1] + samples[n / 2]) / 2;
        }

        double p95() {
            return samples[(int) Math.ceil(0.95 * samples.length) - 1];
        }

        double max() {
            return samples[samples.length - 1];
        }
    }

    static long rssKb() throws Exception {
        return statusKb("VmRSS:");
    }

    static long hwmKb() throws Exception {
        return statusKb("VmHWM:");
    }

    static long statusKb(String key) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + consolePid + "/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException(key + " not in /proc/" + consolePid + "/status");
    }

    /** {@code jcmd <console> COMMAND}'s output, or null when jcmd fails. */
    static String jcmd(String command) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(consolePid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return p.waitFor() == 0 ? out : null;
        } catch (Exception e) {
            return null;
        }
    }

    static String heapUsed() {
        String info = jcmd("GC.heap_info");
        if (info != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("total (\\d+)K, used (\\d+)K").matcher(info);
            if (m.find()) {
                return Long.parseLong(m.group(2)) / 1024 + " MB";
            }
        }
        return "n/a";
    }

    static long single(Connection db, String sql) throws Exception {
        try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\"");
        int start = json.indexOf('"', json.indexOf(':', at) + 1) + 1;
        return json.substring(start, json.indexOf('"', start));
    }

    static String secret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] sha256(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    }

    static String hex(String seed) {
        try {
            return HexFormat.of().formatHex(sha256(seed));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void log(String s) {
        System.err.println(Instant.now() + " " + s);
    }
}
