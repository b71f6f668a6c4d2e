package io.hawser.console.browser;

import static com.codeborne.selenide.Condition.enabled;
import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.$$;
import static com.codeborne.selenide.Selenide.open;

import com.codeborne.selenide.Selenide;
import io.hawser.console.IntegrationTest;
import io.hawser.console.inventory.ContainerRow;
import io.hawser.console.inventory.HostFacts;
import io.hawser.console.inventory.InventoryStore;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The fleet's containers in a real browser: listed, filtered, and updated live as the inventory changes. */
@IntegrationTest
class ContainersBrowserIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    InventoryStore inventory;

    UUID host;

    @BeforeEach
    void browserAndFleet() {
        Browser.use(port);
        Selenide.clearBrowserCookies();
        host = UUID.randomUUID();
        jdbc.sql("INSERT INTO hosts (id, name) VALUES (?, 'fleetui-host')").param(host).update();
        inventory.hostOnline(host, new HostFacts("fleetui.example", "0.9.1", "6.1.0-fleetui", "Debian", "1", 4,
                8L << 30), Instant.now());
        inventory.reconcileContainers(host, List.of(
                row("aa01", "fleetui-web", "nginx:1.25", "running"),
                row("aa02", "fleetui-db", "postgres:15", "exited")), Instant.now());
    }

    @AfterEach
    void cleanUp() {
        jdbc.sql("DELETE FROM hosts WHERE name LIKE 'fleetui-%'").update();
    }

    @Test
    void listFilterAndLiveUpdate() {
        Browser.signInAsAdmin();
        $("#hosts-grid").shouldHave(text("fleetui-host"), text("6.1.0-fleetui"), text("fleetui.example"),
                text("0.9.1"), text("1 / 2"), text("8.0 GiB"));
        inventory.hostOnline(host, new HostFacts("fleetui.example", "0.9.2", "6.2.0-fleetui", "Debian", "1", 4,
                8L << 30), Instant.now());
        $("#hosts-grid").as("the Hosts page follows new facts without a reload").shouldHave(text("6.2.0-fleetui"), text("0.9.2"));

        $("vaadin-side-nav-item[path='containers']").click();
        $("h2").shouldHave(text("Containers"));
        $("#containers-grid").shouldHave(text("fleetui-web"), text("fleetui-db"), text("nginx:1.25"), text("fleetui-host"));

        $("#filter-name input").setValue("fleetui-w");
        $("#containers-grid").shouldHave(text("fleetui-web")).shouldNotHave(text("fleetui-db"));
        $("#filter-name input").setValue("fleetui-");
        $("#containers-grid").shouldHave(text("fleetui-web"), text("fleetui-db"));

        // The same code path the link takes for an inventory: the open page follows without a reload.
        inventory.reconcileContainers(host, List.of(
                row("aa01", "fleetui-web", "nginx:1.25", "exited"),
                row("aa03", "fleetui-cache", "redis:7", "running")), Instant.now());
        $("#containers-grid").shouldHave(text("fleetui-cache"), text("redis:7"))
                .shouldNotHave(text("fleetui-db"));
    }

    @Test
    void bulkAction_isConfirmed_andReportsPerHost() {
        Browser.signInAsAdmin();
        open("/containers");
        $("#filter-name input").setValue("fleetui-web");
        $("#containers-grid").shouldHave(text("fleetui-web")).shouldNotHave(text("fleetui-db"));
        // The first checkbox selects all rows (the one the filter left).
        $$("#containers-grid vaadin-checkbox").filter(visible).first().click();
        $("#action-stop").shouldBe(enabled).click();
        $("vaadin-confirm-dialog-overlay").shouldHave(text("Stop 1 container?"), text("fleetui-host/fleetui-web"));
        $$("vaadin-confirm-dialog-overlay vaadin-button").findBy(text("Stop")).click();
        $("#action-results-grid").shouldHave(text("fleetui-host"), text("fleetui-web"), text("failed"),
                text("host fleetui-host is not connected"));
        $("#close-action-results").click();
    }

    private static ContainerRow row(String id, String name, String image, String state) {
        return new ContainerRow(id, name, image, "sha256:" + id, "run", state, state.equals("running") ? "Up 1 second" : "Exited (0)",
                "{}", "[]", Instant.parse("2026-01-02T03:04:05Z"));
    }
}
