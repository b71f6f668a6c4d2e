package io.hawser.console.browser;

import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.$$;
import static com.codeborne.selenide.Selenide.open;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeborne.selenide.Selenide;
import io.hawser.console.IntegrationTest;
import io.hawser.console.common.api.RestFixture;
import io.hawser.console.hosts.HostSecrets;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Hosts in the browser: an administrator renames, labels and removes one; a team admin adds a host into their team
 * and sees no rename or remove.
 */
@IntegrationTest
class HostsBrowserIT {

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    PasswordEncoder encoder;

    RestFixture fx;
    long team;
    UUID host;

    @BeforeEach
    void hostAndTeam() {
        Browser.use(port);
        Selenide.clearBrowserCookies();
        fx = new RestFixture(jdbc, encoder, port, "hostsui-");
        team = fx.team("ops");
        host = fx.host("edge", team);
    }

    @AfterEach
    void cleanUp() {
        Selenide.clearBrowserCookies();
        jdbc.sql("DELETE FROM join_tokens WHERE team_id = ?").param(team).update();
        fx.cleanUp();
    }

    @Test
    void anAdministratorRenamesLabelsAndRemovesAHost() {
        Browser.signInAsAdmin();
        $("#hosts-grid").shouldHave(text("hostsui-edge"));
        $("#edit-host-hostsui-edge").click();
        $("#host-name input").shouldBe(visible).setValue("hostsui-renamed");
        $("#host-labels textarea").setValue("rack=r7\nnot a label");
        $("#save-host").click();
        $("vaadin-notification-card").shouldHave(text("key=value"));
        $("#host-labels textarea").setValue("rack=r7\nenv=prod");
        $("#save-host").click();
        $("#hosts-grid").shouldHave(text("hostsui-renamed"), text("env=prod, rack=r7"));
        assertThat(jdbc.sql("SELECT name FROM hosts WHERE id = ?").param(host).query(String.class).single())
                .isEqualTo("hostsui-renamed");

        $("#remove-host-hostsui-renamed").click();
        $$("vaadin-confirm-dialog-overlay vaadin-button").findBy(text("Remove")).click();
        $("vaadin-app-layout").as("the host is gone from the page").shouldNotHave(text("hostsui-renamed"));
        assertThat(jdbc.sql("SELECT count(*) FROM hosts WHERE id = ?").param(host).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE target = ? AND action IN ('host.rename', 'host.labels', 'host.remove')")
                .param("host:" + host).query(Long.class).single()).as("one entry per change").isEqualTo(3);
    }

    @Test
    void aTeamAdminAddsAHostIntoTheirTeam_andMayNotRenameOrRemove() {
        String teamAdmin = fx.member("lead", team, "TEAM_ADMIN");
        Browser.signIn(teamAdmin, RestFixture.PASSWORD);
        $("#hosts-grid").shouldHave(text("hostsui-edge"));
        $("#edit-host-hostsui-edge").shouldNot(com.codeborne.selenide.Condition.exist);
        $("#remove-host-hostsui-edge").shouldNot(com.codeborne.selenide.Condition.exist);

        $("#add-host").click();
        $("#join-token-team input").shouldBe(visible).shouldHave(com.codeborne.selenide.Condition.value("hostsui-ops"));
        $("#create-join-token").click();
        String command = $("#join-command").shouldHave(text("--join-token")).getText().strip();
        String token = command.substring(command.lastIndexOf(' ') + 1);
        assertThat(jdbc.sql("SELECT team_id FROM join_tokens WHERE token_hash = ?").param(HostSecrets.hash(token))
                .query(Long.class).single()).isEqualTo(team);
        $("#close-add-host").click();
    }
}
