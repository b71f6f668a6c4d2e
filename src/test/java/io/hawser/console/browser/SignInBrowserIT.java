package io.hawser.console.browser;

import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.open;
import static com.codeborne.selenide.WebDriverRunner.getWebDriver;
import static com.codeborne.selenide.WebDriverRunner.url;
import static org.assertj.core.api.Assertions.assertThat;

import com.codeborne.selenide.Selenide;
import io.hawser.console.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/** A person in a real (headless) Chromium: signs in, sees the Hosts page, signs out. */
@IntegrationTest
class SignInBrowserIT {

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
    void signIn_seeHosts_signOut() {
        open("/");
        assertThat(url()).endsWith("/login");
        String anonymousSession = sessionId();

        Browser.submitSignIn("admin", IntegrationTest.ADMIN_PASSWORD);

        $("h2").shouldHave(text("Hosts"));
        $("#hosts-empty").shouldBe(visible).shouldHave(text("No hosts yet"), text("To add a host"));
        $(".hawser-user").shouldHave(text("admin"));
        assertThat(sessionId()).as("a new session id at sign-in").isNotEqualTo(anonymousSession);

        long signOutsBefore = signOuts();
        $("#sign-out").click();
        $("vaadin-login-form").shouldBe(visible);
        assertThat(signOuts()).as("the sign-out is audited").isEqualTo(signOutsBefore + 1);
        assertThat(url()).endsWith("/login");
        open("/hosts");
        $("vaadin-login-form").shouldBe(visible);
    }

    @Test
    void wrongPassword_showsAnError() {
        open("/login");
        Browser.submitSignIn("admin", "certainly-not-it");

        $("vaadin-login-form").shouldHave(text("Incorrect user name or password"));
        assertThat(url()).contains("/login?error");
    }

    private long signOuts() {
        return jdbc.sql("SELECT count(*) FROM audit_log WHERE actor = 'admin' AND action = 'logout'")
                .query(Long.class).single();
    }

    private static String sessionId() {
        Cookie cookie = getWebDriver().manage().getCookieNamed("JSESSIONID");
        return cookie == null ? null : cookie.getValue();
    }
}
