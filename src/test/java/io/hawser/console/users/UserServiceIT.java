package io.hawser.console.users;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hawser.console.IntegrationTest;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

@IntegrationTest
class UserServiceIT {

    @Autowired
    UserService users;
    @Autowired
    JdbcClient jdbc;

    @AfterEach
    void signOut() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void firstAdmin_wasCreatedFromTheConfiguredPassword_andHashed() {
        String hash = jdbc.sql("SELECT password_hash FROM users WHERE username = 'admin'").query(String.class).single();
        assertThat(hash).startsWith("$2a$12$").doesNotContain(IntegrationTest.ADMIN_PASSWORD);
        assertThat(users.find(new Username("admin")).orElseThrow().roles()).containsExactly(Role.ADMIN);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_log WHERE action = 'user.create' AND target = 'user:admin'")
                .query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void create_byAnAdmin_isAudited() {
        signInAs("boss", Role.ADMIN);
        users.create(new Username("new-operator"), "new-operator-password", Set.of(Role.OPERATOR));

        assertThat(users.find(new Username("new-operator")).orElseThrow().roles()).containsExactly(Role.OPERATOR);
        assertThat(jdbc.sql("SELECT actor FROM audit_log WHERE action = 'user.create' AND target = 'user:new-operator'")
                .query(String.class).single()).isEqualTo("boss");
    }

    @Test
    void create_refusesATakenName_aShortPassword_andNonAdmins() {
        signInAs("boss", Role.ADMIN);
        assertThatThrownBy(() -> users.create(new Username("admin"), "another-long-password", Set.of(Role.VIEWER)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exists already");
        assertThatThrownBy(() -> users.create(new Username("shorty"), "short", Set.of(Role.VIEWER)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 12 characters");

        signInAs("someone", Role.OPERATOR);
        assertThatThrownBy(() -> users.create(new Username("sneaky"), "sneaky-password-1", Set.of(Role.ADMIN)))
                .isInstanceOf(AccessDeniedException.class);
        SecurityContextHolder.clearContext();
        assertThatThrownBy(() -> users.create(new Username("sneaky"), "sneaky-password-1", Set.of(Role.ADMIN)))
                .isInstanceOf(AuthenticationCredentialsNotFoundException.class);
        assertThat(users.find(new Username("sneaky"))).isEmpty();
    }

    @Test
    void changeOwnPassword_needsTheCurrentOne_andFollowsThePolicy_andIsAuditedOnce() {
        signInAs("boss", Role.ADMIN);
        users.create(new Username("pw-changer"), "first-password-of-mine", Set.of());
        String before = jdbc.sql("SELECT password_hash FROM users WHERE username = 'pw-changer'").query(String.class).single();
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "pw-changer", null, AuthorityUtils.NO_AUTHORITIES));

        assertThatThrownBy(() -> users.changeOwnPassword("not-my-password", "second-password-of-mine"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("current password");
        assertThatThrownBy(() -> users.changeOwnPassword("first-password-of-mine", "PW-Changer"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> users.changeOwnPassword("first-password-of-mine", "password1234"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too common");
        assertThat(jdbc.sql("SELECT password_hash FROM users WHERE username = 'pw-changer'").query(String.class).single())
                .isEqualTo(before);

        users.changeOwnPassword("first-password-of-mine", "second-password-of-mine");
        String after = jdbc.sql("SELECT password_hash FROM users WHERE username = 'pw-changer'").query(String.class).single();
        assertThat(after).isNotEqualTo(before).doesNotContain("second-password-of-mine");
        assertThat(jdbc.sql("SELECT action || ' ' || result FROM audit_log WHERE actor = 'pw-changer' ORDER BY id")
                .query(String.class).list()).containsExactly("user.password.change failed", "user.password.change ok");
    }

    @Test
    void adminsCannotDisableThemselves_andADisabledUserCannotSignInNorUseTokens() {
        signInAs("admin", Role.ADMIN);
        assertThatThrownBy(() -> users.setEnabled(new Username("admin"), false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("your own");
        users.create(new Username("to-disable"), "to-disable-password", Set.of());
        users.setEnabled(new Username("to-disable"), false);
        assertThat(users.find(new Username("to-disable")).orElseThrow().enabled()).isFalse();
        assertThat(users.list()).filteredOn(u -> u.username().equals("to-disable")).singleElement()
                .satisfies(u -> assertThat(u.enabled()).isFalse());
    }

    private static void signInAs(String name, Role role) {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                name, null, AuthorityUtils.createAuthorityList(role.authority())));
    }
}
