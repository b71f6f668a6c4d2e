package io.hawser.console.users;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class UserRepository {

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<UserAccount> findByUsername(Username username) {
        return jdbc.sql("SELECT id, username, password_hash, enabled FROM users WHERE username = ?")
                .param(username.value())
                .query((rs, n) -> new UserAccount(rs.getLong("id"), new Username(rs.getString("username")),
                        rs.getString("password_hash"), rs.getBoolean("enabled"), Set.of()))
                .optional()
                .map(user -> new UserAccount(user.id(), user.username(), user.passwordHash(), user.enabled(),
                        rolesOf(user.id())));
    }

    private Set<Role> rolesOf(long userId) {
        List<String> names = jdbc.sql("SELECT role FROM user_roles WHERE user_id = ?").param(userId)
                .query(String.class).list();
        Set<Role> roles = EnumSet.noneOf(Role.class);
        names.forEach(name -> roles.add(Role.valueOf(name)));
        return roles;
    }

    List<UserSummary> list() {
        return jdbc.sql("""
                        SELECT u.id, u.username, u.enabled, u.created_at,
                               EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = 'ADMIN') AS admin
                        FROM users u ORDER BY u.username""")
                .query((rs, n) -> new UserSummary(rs.getLong("id"), rs.getString("username"), rs.getBoolean("enabled"),
                        rs.getBoolean("admin"), rs.getTimestamp("created_at").toInstant()))
                .list();
    }

    void setEnabled(Username username, boolean enabled) {
        jdbc.sql("UPDATE users SET enabled = ? WHERE username = ?").params(enabled, username.value()).update();
    }

    void setPasswordHash(Username username, String hash) {
        jdbc.sql("UPDATE users SET password_hash = ? WHERE username = ?").params(hash, username.value()).update();
    }

    long count() {
        return jdbc.sql("SELECT count(*) FROM users").query(Long.class).single();
    }

    /** Inserts the user unless the name is taken; returns the new id, or empty when it was taken. */
    Optional<Long> insertIfAbsent(Username username, String passwordHash, Set<Role> roles) {
        Optional<Long> id = jdbc.sql("""
                        INSERT INTO users (username, password_hash) VALUES (?, ?)
                        ON CONFLICT ON CONSTRAINT users_username_key DO NOTHING RETURNING id""")
                .params(username.value(), passwordHash)
                .query(Long.class)
                .optional();
        id.ifPresent(userId -> roles.forEach(role ->
                jdbc.sql("INSERT INTO user_roles (user_id, role) VALUES (?, ?)").params(userId, role.name()).update()));
        return id;
    }
}
