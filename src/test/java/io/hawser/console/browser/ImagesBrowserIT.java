package io.hawser.console.browser;

import static com.codeborne.selenide.Condition.attribute;
import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selectors.shadowCss;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.$$;
import static com.codeborne.selenide.Selenide.open;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeborne.selenide.Selenide;
import io.hawser.console.IntegrationTest;
import io.hawser.console.hosts.HostService;
import io.hawser.console.hosts.JoinToken;
import io.hawser.console.testing.AgentCleanup;
import io.hawser.console.testing.AgentProcess;
import io.hawser.console.testing.SignedIn;
import io.hawser.console.testing.Tarballs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Importing a tarball in a real browser onto a real agent: progress bars, then the image in the grid without a reload. */
@IntegrationTest
class ImagesBrowserIT {

    @LocalServerPort
    int port;
    @Autowired
    HostService hosts;
    @Autowired
    JdbcClient jdbc;

    private Path dir;
    private AgentProcess agent;
    private UUID hostId;

    @BeforeEach
    void agentAndBrowser() throws Exception {
        dir = Files.createTempDirectory("hawser-images-ui");
        JoinToken token = SignedIn.asAdmin("imgui-admin", () -> hosts.createJoinToken(1, Duration.ofMinutes(30)));
        agent = AgentProcess.create(AgentProcess.Layout.under(dir.resolve("agent"), "himg"), "http://127.0.0.1:" + port)
                .tokenOnCommandLine();
        agent.start(token.token());
        Instant deadline = Instant.now().plusSeconds(90);
        while ((hostId = agent.hostId()) == null || jdbc.sql("SELECT count(*) FROM hosts WHERE id = ? AND status = 'ONLINE'")
                .param(hostId).query(Long.class).single() == 0) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("agent not online within 90 s:\n" + agent.log());
            }
            Thread.sleep(100);
        }
        jdbc.sql("UPDATE hosts SET name = 'imgui-host' WHERE id = ?").param(hostId).update();
        Browser.use(port);
        Selenide.clearBrowserCookies();
    }

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (agent != null) {
                agent.close();
            }
        } finally {
            if (hostId != null) {
                jdbc.sql("DELETE FROM hosts WHERE id = ?").param(hostId).update();
            }
            AgentCleanup.deleteTree(dir);
        }
    }

    @Test
    void importATarball_showsProgress_andTheImageAppearsWithoutAReload() throws Exception {
        Path tar = Tarballs.busybox(dir, "ui", 6 * 1024 * 1024);
        Browser.signInAsAdmin();
        $("vaadin-side-nav-item[path='images']").click();
        $("h2").shouldHave(text("Images"));
        $("#images-grid").shouldNotHave(text("imgui/busy"));

        $("#import-image").click();
        var host = $$("#image-hosts vaadin-checkbox").findBy(text("imgui-host"));
        if (!"true".equals(host.getDomProperty("checked"))) { // a single host on offer comes chosen
            host.click();
        }
        assertThat(host.getDomProperty("checked")).isEqualTo("true");
        $("#import-repo input").setValue("imgui/busy");
        $("#import-tag input").setValue("7");
        $(shadowCss("input[type=file]", "#import-upload")).uploadFile(tar.toFile());

        $("#upload-progress").shouldBe(visible);
        $("#upload-text").shouldHave(text("Uploaded ui.tar"));
        $(".transfer-progress").shouldBe(visible);
        $(".transfer-text").shouldHave(text("imgui-host: imported"), Duration.ofSeconds(60)).shouldHave(text("as imgui/busy:7"));
        $(".transfer-progress").shouldHave(attribute("aria-valuenow", "1"));
        $("#import-close").click();

        $("#images-grid").shouldHave(text("imgui/busy:7"), text("imgui-host"));
        assertThat(agent.docker("images", "--format", "{{.Repository}}:{{.Tag}}")).contains("imgui/busy:7");

        // Removal with confirmation, and the grid follows.
        $$("#images-grid vaadin-button.image-remove").filter(visible).first().click();
        $("#remove-confirm").click();
        $("#images-grid").shouldNotHave(text("imgui/busy:7"));
        assertThat(agent.docker("images", "--format", "{{.Repository}}:{{.Tag}}")).doesNotContain("imgui/busy");
    }
}
