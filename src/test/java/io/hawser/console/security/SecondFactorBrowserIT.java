package io.hawser.console.security;

import static com.codeborne.selenide.Condition.text;
import static com.codeborne.selenide.Condition.visible;
import static com.codeborne.selenide.Selenide.$;
import static com.codeborne.selenide.Selenide.open;
import static com.codeborne.selenide.WebDriverRunner.url;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import com.codeborne.selenide.Selenide;
import io.hawser.console.IntegrationTest;
import io.hawser.console.browser.Browser;
import io.hawser.console.users.Role;
import io.hawser.console.users.SecondFactor;
import io.hawser.console.users.Totp;
import io.hawser.console.users.UserService;
import io.hawser.console.users.Username;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;

/** An administrator with a second factor: the sign-in asks for the code, a wrong or reused code is refused, basic auth too. */
@IntegrationTest
class SecondFactorBrowserIT {

    private static final String NAME = "totp-admin";
    private static final String PASSWORD = "totp-admin-password";

    @LocalServerPort
    int port;
    @Autowired
    UserService users;
    @Autowired
    SecondFactor secondFactor;
    @Autowired
    JdbcClient jdbc;
    @Autowired
    MockMvc mvc;

    @BeforeEach
    void browser() {
        Browser.use(port);
        Selenide.clearBrowserCookies();
    }

    @AfterEach
    void cleanUp() {
        SecurityContextHolder.clearContext();
        jdbc.sql("DELETE FROM users WHERE username = ?").param(NAME).update();
    }

    @Test
    void signInAsksForTheCode_afterThePassword() throws Exception {
        as("admin", () -> users.create(new Username(NAME), PASSWORD, Set.of(Role.ADMIN)));
        String secret = as(NAME, () -> secondFactor.begin().secret());
        assertThatThrownBy(() -> as(NAME, () -> {
            secondFactor.confirm("000000".equals(now(secret)) ? "111111" : "000000");
            return null;
        })).isInstanceOf(IllegalArgumentException.class);
        long step = Totp.step(Instant.now().getEpochSecond());
        as(NAME, () -> {
            secondFactor.confirm(Totp.code(secret, step - 1));
            return null;
        });
        assertThat(jdbc.sql("SELECT totp_secret FROM users WHERE username = ?").param(NAME).query(String.class).single())
                .as("without hawser.totp.key the secret is kept as is, and says so").isEqualTo("plain:" + secret);

        // HTTP basic carries only the password: refused for this account.
        assertThat(mvc.perform(get("/api/me").with(httpBasic(NAME, PASSWORD))).andReturn().getResponse().getStatus())
                .isEqualTo(401);

        open("/login");
        Browser.submitSignIn(NAME, PASSWORD);
        $("#totp-code").shouldBe(visible);
        assertThat(url()).endsWith("/login/totp");
        open("/admin/users");
        assertThat(url()).as("nothing else before the code").endsWith("/login/totp");

        // The code used to confirm (step - 1) is refused: a code works once.
        $("#totp-code").setValue(Totp.code(secret, step - 1));
        $("#totp-submit").click();
        $("#totp-error").shouldBe(visible);

        $("#totp-code").setValue(Totp.code(secret, Math.max(step, Totp.step(Instant.now().getEpochSecond()))));
        $("#totp-submit").click();
        $("h2").shouldHave(text("Hosts"));
        open("/admin/users");
        $("h2").shouldHave(text("Users"));
        assertThat(jdbc.sql("SELECT result FROM audit_log WHERE actor = ? AND action = 'login.totp' ORDER BY id").param(NAME)
                .query(String.class).list()).containsExactly("failed", "ok");
    }

    private static String now(String secret) {
        return Totp.code(secret, Totp.step(Instant.now().getEpochSecond()));
    }

    private static <T> T as(String user, java.util.function.Supplier<T> call) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(user, null,
                AuthorityUtils.createAuthorityList(Role.ADMIN.authority())));
        try {
            return call.get();
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static void as(String user, Runnable call) {
        as(user, () -> {
            call.run();
            return null;
        });
    }
}
