package io.hawser.console.users;

import io.hawser.console.audit.AuditLog;
import java.util.Optional;
import java.util.Set;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Console users: lookup for sign-in, and creation with the password hashed and the change audited. */
@Service
public class UserService {

    /** NIST SP 800-63B asks for at least 8; a console that runs containers as root deserves more. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    private final UserRepository users;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;

    UserService(UserRepository users, PasswordEncoder passwordEncoder, AuditLog audit) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
    }

    @Transactional(readOnly = true)
    public Optional<UserAccount> find(Username username) {
        return users.findByUsername(username);
    }

    @Transactional(readOnly = true)
    public boolean anyUserExists() {
        return users.count() > 0;
    }

    /**
     * Creates a user; only an admin may.
     *
     * @throws IllegalArgumentException when the name is taken or the password too short
     */
    @Transactional
    @PreAuthorize("hasRole('ADMIN')")
    public void create(Username username, String rawPassword, Set<Role> roles) {
        String actor = SecurityContextHolder.getContext().getAuthentication().getName();
        if (!createIfAbsent(actor, username, rawPassword, roles)) {
            throw new IllegalArgumentException("a user named '" + username + "' exists already");
        }
    }

    /**
     * Creates a user unless one of that name exists. Not authorised here: only the first-start bootstrap, which
     * runs before anyone can sign in, calls it directly.
     *
     * @return true when this call created it (two console replicas starting together create it once)
     */
    @Transactional
    boolean createIfAbsent(String actor, Username username, String rawPassword, Set<Role> roles) {
        checkPassword(rawPassword);
        boolean created = users.insertIfAbsent(username, passwordEncoder.encode(rawPassword), roles).isPresent();
        if (created) {
            audit.record(actor, "user.create", "user:" + username, "roles=" + roles);
        }
        return created;
    }

    static void checkPassword(String rawPassword) {
        if (rawPassword == null || rawPassword.length() < MIN_PASSWORD_LENGTH) {
            throw new IllegalArgumentException("a password needs at least " + MIN_PASSWORD_LENGTH + " characters");
        }
        if (rawPassword.length() > 128) {
            throw new IllegalArgumentException("a password has at most 128 characters");
        }
    }
}
