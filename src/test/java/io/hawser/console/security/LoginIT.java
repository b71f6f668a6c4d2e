package io.hawser.console.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;

import io.hawser.console.IntegrationTest;
import io.hawser.console.users.Role;
import io.hawser.console.users.UserService;
import io.hawser.console.users.Username;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.WebAttributes;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/** Sign-in through the real filter chain: passwords, session ids, throttling per user and per address. */
@IntegrationTest
class LoginIT {

    private static final AtomicInteger ADDRESSES = new AtomicInteger(1);

    @Autowired
    MockMvc mvc;
    @Autowired
    UserService users;
    @Autowired
    JdbcClient jdbc;

    @Test
    void rightPassword_signsIn_withANewSessionId() throws Exception {
        MockHttpSession session = new MockHttpSession();
        String before = session.getId();
        String address = freshAddress();

        MvcResult result = signIn("admin", IntegrationTest.ADMIN_PASSWORD, address, session);

        assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/");
        var newSession = result.getRequest().getSession(false);
        assertThat(newSession).isNotNull();
        assertThat(newSession.getId()).as("session fixation: a new id at sign-in").isNotEqualTo(before);
        assertThat(newSession.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY)).isNotNull();
        assertThat(auditOf(address)).containsExactly("admin login ok");
    }

    @Test
    void wrongPassword_isRefused() throws Exception {
        String address = freshAddress();
        MvcResult result = signIn("admin", "not-the-password", address, new MockHttpSession());

        assertThat(result.getResponse().getRedirectedUrl()).isEqualTo("/login?error");
        assertThat(auditOf(address)).containsExactly("admin login failed");
        assertThat(result.getRequest().getSession().getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY))
                .isNull();
    }

    @Test
    void sixthTryForAUser_isRefusedEvenWithTheRightPassword() throws Exception {
        String name = createUser("throttle-user", "throttle-user-password");
        for (int i = 1; i <= 5; i++) {
            assertThat(signIn(name, "wrong-" + i, freshAddress(), new MockHttpSession()).getResponse().getRedirectedUrl())
                    .as("failure %d", i).isEqualTo("/login?error");
        }

        String sixthAddress = freshAddress();
        MvcResult sixth = signIn(name, "throttle-user-password", sixthAddress, new MockHttpSession());

        assertThat(sixth.getResponse().getRedirectedUrl()).isEqualTo("/login?locked");
        Object failure = sixth.getRequest().getSession().getAttribute(WebAttributes.AUTHENTICATION_EXCEPTION);
        assertThat(failure).isInstanceOf(LoginThrottledException.class);
        assertThat(((Exception) failure).getMessage()).startsWith("Too many failed sign-ins in a row. Try again in ");
        assertThat(auditOf(sixthAddress)).containsExactly(name + " login denied");

        // Once the lockout is over, the right password works again.
        jdbc.sql("UPDATE login_throttle SET locked_until = now() - interval '1 second' WHERE key = ?")
                .param("user:" + name).update();
        assertThat(signIn(name, "throttle-user-password", freshAddress(), new MockHttpSession()).getResponse()
                .getRedirectedUrl()).isEqualTo("/");
    }

    @Test
    void sixthTryFromAnAddress_isRefused_whileOtherAddressesStillSignIn() throws Exception {
        String address = freshAddress();
        for (int i = 1; i <= 5; i++) {
            assertThat(signIn("nobody-" + i, "wrong", address, new MockHttpSession()).getResponse().getRedirectedUrl())
                    .isEqualTo("/login?error");
        }

        assertThat(signIn("admin", IntegrationTest.ADMIN_PASSWORD, address, new MockHttpSession()).getResponse()
                .getRedirectedUrl()).isEqualTo("/login?locked");
        assertThat(signIn("admin", IntegrationTest.ADMIN_PASSWORD, freshAddress(), new MockHttpSession()).getResponse()
                .getRedirectedUrl()).isEqualTo("/");
    }

    @Test
    void failuresCountOnlyInARow() throws Exception {
        String name = createUser("in-a-row", "in-a-row-password!");
        String address = freshAddress();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 4; i++) {
                signIn(name, "wrong", address, new MockHttpSession());
            }
            assertThat(signIn(name, "in-a-row-password!", address, new MockHttpSession()).getResponse().getRedirectedUrl())
                    .as("round %d", round).isEqualTo("/");
        }
    }

    @Test
    void loginPage_isPublic_andCarriesSecurityHeaders() throws Exception {
        var response = mvc.perform(get("/login")).andReturn().getResponse();

        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeader("Content-Security-Policy")).contains("default-src 'self'", "frame-ancestors 'none'");
        assertThat(response.getHeader("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.getHeader("Referrer-Policy")).isEqualTo("same-origin");
    }

    @Test
    void viewsNeedASignIn() throws Exception {
        mvc.perform(get("/hosts")).andExpect(redirectedUrl("http://localhost/login"));
    }

    private java.util.List<String> auditOf(String address) {
        return jdbc.sql("SELECT actor || ' ' || action || ' ' || result FROM audit_log WHERE address = ? ORDER BY id")
                .param(address).query(String.class).list();
    }

    private MvcResult signIn(String username, String password, String address, MockHttpSession session) throws Exception {
        return mvc.perform(post("/login").session(session)
                        .param("username", username).param("password", password)
                        .with(csrf())
                        .with(request -> {
                            request.setRemoteAddr(address);
                            return request;
                        }))
                .andReturn();
    }

    private String createUser(String prefix, String password) {
        String name = prefix + "-" + ADDRESSES.incrementAndGet();
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                "test-admin", null, AuthorityUtils.createAuthorityList(Role.ADMIN.authority())));
        try {
            users.create(new Username(name), password, Set.of(Role.VIEWER));
        } finally {
            SecurityContextHolder.clearContext();
        }
        return name;
    }

    /** Each test signs in from its own documentation-range address, so throttling in one cannot touch another. */
    static String freshAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "192.0.2." + (n % 254 + 1);
    }
}
