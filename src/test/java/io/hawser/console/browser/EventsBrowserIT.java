package io.hawser.console.browser;

import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.open;

import com.codeborne.selenide.Selenide;
import io.hawser.console.IntegrationTest;
import io.hawser.console.inventory.FleetEvent;
import io.hawser.console.inventory.InventoryStore;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The fleet's events in a real browser: listed, filtered, and a new event appears without a reload. */
@IntegrationTest
class EventsBrowserIT {

    static final String WEB = "e1".repeat(32);
    static final String OTHER = "e2".repeat(32);

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
        jdbc.sql("INSERT INTO hosts (id, name) VALUES (?, 'evui-host')").param(host).update();
        record(WEB, "evui-web", "create", "evui-img:1", Instant.now().minusSeconds(60));
        record(OTHER, "evui-other", "create", "evui-img:1", Instant.now().minusSeconds(50));
    }

    @AfterEach
    void cleanUp() {
        jdbc.sql("DELETE FROM hosts WHERE name LIKE 'evui-%'").update();
    }

    @Test
    void filterByContainer_andANewEventAppearsLive() {
        Browser.signInAsAdmin();
        $("vaadin-side-nav-item[path='events']").click();
        $("h2").shouldHave(text("Events"));
        $("#events-grid").shouldHave(text("evui-web"), text("evui-other"), text("evui-host"));

        $("#filter-container input").setValue("evui-web");
        $("#events-grid").shouldHave(text("evui-web"), text("create")).shouldNotHave(text("evui-other"));

        // The code path the link takes for an agent's event: the open page follows by server push, no reload.
        record(WEB, "evui-web", "start", "evui-img:2", Instant.now());
        record(OTHER, "evui-other", "start", "evui-img:3", Instant.now());
        $("#events-grid").shouldHave(text("image=evui-img:2"), text("start")).shouldNotHave(text("evui-img:3"));

        $("#filter-container input").setValue("evui-other");
        $("#events-grid").shouldHave(text("image=evui-img:3")).shouldNotHave(text("evui-img:2"));
    }

    private void record(String id, String name, String action, String image, Instant at) {
        long nanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
        inventory.recordEvent(host, new FleetEvent("container", action, id,
                "{\"name\": \"" + name + "\", \"image\": \"" + image + "\"}", nanos), null, false, Instant.now());
    }
}
