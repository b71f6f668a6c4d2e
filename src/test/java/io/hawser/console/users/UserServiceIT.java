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

    private static void signInAs(String name, Role role) {
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                name, null, AuthorityUtils.createAuthorityList(role.authority())));
    }
}
