package io.hawser.console.browser;

import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.open;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeborne.selenide.Selenide;
import io.hawser.console.IntegrationTest;
import io.hawser.console.hosts.HostSecrets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** An admin adds a host from the Hosts page: a join token, shown once with the command that uses it. */
@IntegrationTest
class AddHostBrowserIT {

    private static final Pattern COMMAND = Pattern.compile(
            "java -jar hawser-agent\\.jar --data-root /var/lib/hawser --socket /run/hawser/hawser\\.sock "
                    + "--console-url (http://localhost:[0-9]+) --join-token ([A-Za-z0-9_-]{43})");

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;

    @BeforeEach
    void browser() {
        Browser.use(port);
        Selenide.clearBrowserCookies();
    }

    @Test
    void addHost_createsAJoinToken_andShowsTheAgentCommand() {
        Browser.signInAsAdmin();

        $("#add-host").click();
        // The dialog's content renders in its overlay: the vaadin-dialog element itself is never "visible".
        $("#join-token-uses").shouldBe(visible);
        $("#create-join-token").shouldBe(visible).click();
        String command = $("#join-command").shouldHave(text("--join-token")).getText().strip();

        Matcher m = COMMAND.matcher(command);
        assertThat(m.matches()).as(command).isTrue();
        assertThat(m.group(1)).isEqualTo("http://localhost:" + port);
        assertThat(jdbc.sql("SELECT max_uses, uses, created_by FROM join_tokens WHERE token_hash = ?")
                .param(HostSecrets.hash(m.group(2))).query().singleRow())
                .containsEntry("max_uses", 1).containsEntry("uses", 0).containsEntry("created_by", "admin");
        $("#close-add-host").click();
        $("#sign-out").click();
        $("vaadin-login-form").shouldBe(visible);
    }
}
