package io.hawser.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged console as a new user runs it: {@code java -jar target/hawser-console.jar}. First start prints a
 * random admin password once; it signs in; after a stop and a start on the same data directory it still does, and
 * no new password is printed; after a kill -9 (which leaves its PostgreSQL running) a start still comes up.
 */
class ConsoleJarIT {

    private static final Pattern PASSWORD = Pattern.compile("password: (\\S+)");
    private static final Pattern READY = Pattern.compile("Hawser console is ready: (http://localhost:\\d+)");

    @Test
    void firstStartPrintsAPassword_thatStillWorksAfterARestart_andAfterAKill(@TempDir Path home) throws Exception {
        Path jar = Path.of("target/hawser-console.jar");
        assertThat(jar).as("packaged by the build before integration tests").exists();

        Started first = start(jar, home);
        String password;
        try {
            Matcher printed = PASSWORD.matcher(first.output());
            assertThat(printed.find()).as("first start prints the admin password:\n%s", first.output()).isTrue();
            password = printed.group(1);
            assertThat(password).hasSizeGreaterThanOrEqualTo(20);
            assertThat(metricsStatus(first.url(), "admin", password)).isEqualTo(200);
            assertThat(metricsStatus(first.url(), "admin", password + "x")).isEqualTo(401);
            assertThat(home.resolve(".hawser/postgres/PG_VERSION")).as("data under ~/.hawser").exists();

            Failed rival = startExpectingFailure(jar, home, Map.of());
            assertThat(rival.output()).contains("APPLICATION FAILED TO START",
                    "Another Hawser console is using the data directory " + home.resolve(".hawser"));
            assertThat(rival.output()).as("no stack trace").doesNotContain("\tat io.hawser");
            assertThat(metricsStatus(first.url(), "admin", password)).as("the first one is unharmed").isEqualTo(200);
        } finally {
            first.stop();
        }

        Started second = start(jar, home);
        try {
            assertThat(second.output()).as("no second password").doesNotContainPattern(PASSWORD);
            assertThat(metricsStatus(second.url(), "admin", password)).isEqualTo(200);
        } finally {
            second.process().destroyForcibly().waitFor(); // kill -9: its PostgreSQL is left running
        }

        try {
            Started third = start(jar, home);
            try {
                assertThat(third.output()).contains("from an earlier console that did not stop it");
                assertThat(metricsStatus(third.url(), "admin", password)).isEqualTo(200);
            } finally {
                third.stop();
            }
        } finally {
            killLeftoverPostgres(home.resolve(".hawser/postgres/postmaster.pid"));
        }
    }

    private static void killLeftoverPostgres(Path pidFile) throws IOException {
        if (Files.isRegularFile(pidFile)) {
            String pid = Files.readAllLines(pidFile).get(0).strip();
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aTooShortAdminPassword_isRefusedWithAClearMessage(@TempDir Path home) throws Exception {
        Failed failed = startExpectingFailure(Path.of("target/hawser-console.jar"), home,
                Map.of("HAWSER_ADMIN_PASSWORD", "short"));

        assertThat(failed.output()).contains("APPLICATION FAILED TO START",
                "HAWSER_ADMIN_PASSWORD has 5 characters; the admin password needs 12 to 128.");
        assertThat(failed.output()).doesNotContain("\tat io.hawser");
        assertThat(failed.exitCode()).isNotZero();
    }

    private static int metricsStatus(String url, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/actuator/prometheus"))
                .header("Authorization", "Basic " + basic).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static Failed startExpectingFailure(Path jar, Path home, Map<String, String> environment) throws Exception {
        ProcessBuilder builder = consoleProcess(jar, home, freePort());
        builder.environment().putAll(environment);
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes(); // until it exits
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the console was expected to stop by itself");
        }
        return new Failed(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private record Failed(int exitCode, String output) {}

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static ProcessBuilder consoleProcess(Path jar, Path home, int port) {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--server.port=" + port)
                .redirectErrorStream(true);
        builder.environment().put("HOME", home.toString()); // the default data directory is ~/.hawser
        builder.environment().remove("HAWSER_ADMIN_PASSWORD");
        builder.environment().remove("SPRING_DATASOURCE_URL");
        return builder;
    }

    private static Started start(Path jar, Path home) throws Exception {
        Process process = consoleProcess(jar, home, freePort()).start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        reader.setDaemon(true);
        reader.start();
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline) && process.isAlive()) {
            String output;
            synchronized (lines) {
                output = String.join("\n", lines);
            }
            Matcher ready = READY.matcher(output);
            if (ready.find()) {
                // The first-account banner comes from an ApplicationRunner, which Boot runs before it is ready.
                return new Started(process, ready.group(1), output);
            }
            Thread.sleep(200);
        }
        process.destroyForcibly();
        synchronized (lines) {
            throw new AssertionError("console did not become ready:\n" + String.join("\n", lines));
        }
    }

    private record Started(Process process, String url, String output) {
        void stop() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
