package io.hawser.console.browser;

import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.$$;
import static com.codeborne.selenide.Selenide.open;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeborne.selenide.Condition;
import com.codeborne.selenide.Selenide;
import io.hawser.console.IntegrationTest;
import io.hawser.console.containers.RealAgent;
import io.hawser.console.hosts.HostService;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Keys;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A container of a real agent in a real browser: run from the form, opened from the fleet grid, its logs following live, a command typed
 * into the browser terminal, and a stop whose new state shows without a reload.
 */
@IntegrationTest
class ContainerDetailBrowserIT {

    private static final Pattern TICK = Pattern.compile("tick (\\d+)");

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    HostService hosts;

    @Test
    void runFromTheForm_openFromTheGrid_followLogs_useTheTerminal_andStop() throws Exception {
        Browser.use(port);
        Selenide.clearBrowserCookies();
        try (RealAgent agent = RealAgent.start("detailui-host", hosts, jdbc, port)) {
            Browser.signInAsAdmin();
            open("/containers");
            $("#run-container").click();
            // Pick the host from the open list rather than type and press Enter: an Enter before the filtered items
            // arrive selects nothing and leaves the list open over the form.
            $("#run-host").click();
            $$("vaadin-combo-box-item").findBy(text("detailui-host")).click();
            $("#run-host input").shouldHave(com.codeborne.selenide.Condition.value("detailui-host"));
            $("#run-image input").setValue(RealAgent.IMAGE);
            $("#run-image input").pressEnter();
            $("#run-image input").shouldHave(com.codeborne.selenide.Condition.value(RealAgent.IMAGE));
            $("#run-name input").setValue("detailui-ticker");
            // TERM ends the loop at once (as PID 1 the shell would otherwise ignore it until the stop timeout).
            $("#run-command input").setValue(
                    "sh -c 'trap \"exit 0\" TERM; i=0; while true; do echo tick $i; i=$((i+1)); busybox sleep 0.5; done'");
            $("#run-memory input").setValue("lots");
            $("#run-submit").click();
            $("vaadin-notification-card").as("a bad field is a notification").shouldHave(text("memory"));
            $("#run-memory input").setValue("64m");
            $("#run-submit").click();
            $("#container-state").as("the new container's view opens").shouldHave(text("running"));
            String id = jdbc.sql("SELECT container_id FROM containers WHERE host_id = ? AND name = 'detailui-ticker'")
                    .param(agent.hostId).query(String.class).single();
            assertThat(agent.docker("inspect", "-f", "{{.State.Running}} {{.HostConfig.Memory}}", id).strip())
                    .isEqualTo("true 67108864");

            open("/containers");
            $("#filter-name input").setValue("detailui-ticker");
            $("#containers-grid").shouldHave(text("detailui-host"));
            $$("#containers-grid a").findBy(text("detailui-ticker")).click();
            $("#container-state").shouldHave(text("running"));
            $("#overview").shouldHave(text("detail-it:1"), text("tick"));

            $$("vaadin-tab").findBy(text("Logs")).click();
            $("#logs-output").shouldHave(Condition.matchText("tick \\d+"));
            int seen = lastTick($("#logs-output").getText());
            $("#logs-output").as("new lines arrive without a reload")
                    .shouldHave(text("tick " + (seen + 2)), Duration.ofSeconds(30));
            $("#logs-search input").setValue("tick " + seen);
            $$("#logs-output .log-line").filter(visible).first().shouldHave(text("tick " + seen));

            $$("vaadin-tab").findBy(text("Stats")).click();
            $("#stats-cpu").shouldHave(text("CPU"), text("%"));
            $("#stats-memory").shouldHave(text("Memory"));
            $$("#stats-charts .uplot").shouldHave(com.codeborne.selenide.CollectionCondition.size(4));

            $$("vaadin-tab").findBy(text("Terminal")).click();
            $("#terminal .xterm-rows").shouldBe(visible);
            $("#terminal .xterm-helper-textarea").sendKeys("echo hawser-$((6*7)) | busybox tee /made-here", Keys.ENTER);
            $("#terminal .xterm-rows").shouldHave(text("hawser-42"), Duration.ofSeconds(30));

            $$("vaadin-tab").findBy(text("Diff")).click();
            $("#diff-grid").as("the file the terminal made").shouldHave(text("/made-here"));
            $$("vaadin-tab").findBy(text("Top")).click();
            $("#top-grid").shouldHave(text("PID"), text("trap"));

            $("#detail-stop").click();
            $$("vaadin-confirm-dialog-overlay vaadin-button").findBy(text("Stop")).click();
            $("#container-state").as("the state follows without a reload").shouldHave(text("exited"), Duration.ofSeconds(30));
            $$("vaadin-tab").findBy(text("Events")).click();
            $("#events-grid").shouldHave(text("start"), text("die"));
        }
    }

    private static int lastTick(String text) {
        Matcher m = TICK.matcher(text);
        int last = -1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }
}
