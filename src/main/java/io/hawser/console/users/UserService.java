package io.hawser.console.users;

import io.hawser.console.access.Access;
import io.hawser.console.audit.AuditLog;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Console users: lookup for sign-in; creation, enabling and disabling, password resets by a global administrator;
 * a user's change of their own password. Passwords follow {@link PasswordPolicy} and are stored as bcrypt hashes.
 * Every change, and every refused attempt, is audited once.
 */
@Service
public class UserService {

    /** NIST SP 800-63B asks for at least 8; a console that runs containers as root deserves more. */
    public static final int MIN_PASSWORD_LENGTH = PasswordPolicy.MIN_LENGTH;

    private final UserRepository users;
    private final PasswordEncoder passwordEncoder;
    private final AuditLog audit;
    private final Access access;
    private final ApplicationEventPublisher events;

    UserService(UserRepository users, PasswordEncoder passwordEncoder, AuditLog audit, Access access,
                ApplicationEventPublisher events) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.audit = audit;
        this.access = access;
        this.events = events;
    }

    @Transactional(readOnly = true)
    public Optional<UserAccount> find(Username username) {
        return users.findByUsername(username);
    }

    @Transactional(readOnly = true)
    public boolean anyUserExists() {
        return users.count() > 0;
    }

    /** Every user; global administrators only. */
    @Transactional(readOnly = true)
    @PreAuthorize("isAuthenticated()")
    public List<UserSummary> list() {
        access.requireGlobalAdmin();
        return users.list();
    }

    /**
     * Creates a user; only a global administrator may.
     *
     * @throws IllegalArgumentException when the name is taken or the password does not meet the policy
     */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void create(Username username, String rawPassword, Set<Role> roles) {
        requireAdmin("user.create", username);
        if (!createIfAbsent(access.caller().username(), username, rawPassword, roles)) {
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
        PasswordPolicy.check(username.value(), rawPassword);
        boolean created = users.insertIfAbsent(username, passwordEncoder.encode(rawPassword), roles).isPresent();
        if (created) {
            audit.record(actor, "user.create", target(username), "roles=" + roles);
        }
        return created;
    }

    /**
     * Enables or disables a user. A disabled user cannot sign in, their API tokens stop working, their open
     * sessions end, and {@link Access} gives them no rights even before that.
     */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void setEnabled(Username username, boolean enabled) {
        String action = enabled ? "user.enable" : "user.disable";
        requireAdmin(action, username);
        if (!enabled && username.value().equals(access.caller().username())) {
            throw new IllegalArgumentException("you cannot disable your own account");
        }
        existing(username);
        users.setEnabled(username, enabled);
        audit.record(access.caller().username(), action, target(username), null);
        if (!enabled) {
            events.publishEvent(new UserSessionsEnd(username.value(), "disabled"));
        }
    }

    /** Sets a user's password (an administrator's reset); the user's sessions end. */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void resetPassword(Username username, String newPassword) {
        requireAdmin("user.password.reset", username);
        existing(username);
        PasswordPolicy.check(username.value(), newPassword);
        users.setPasswordHash(username, passwordEncoder.encode(newPassword));
        audit.record(access.caller().username(), "user.password.reset", target(username), null);
        events.publishEvent(new UserSessionsEnd(username.value(), "password reset"));
    }

    /**
     * Changes the caller's own password; the current one is required. Not with an API token: a token's holder
     * does not know the password, and must not get to choose one.
     *
     * @throws IllegalArgumentException when the current password is wrong or the new one does not meet the policy
     */
    @Transactional
    @PreAuthorize("isAuthenticated()")
    public void changeOwnPassword(String currentPassword, String newPassword) {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        Username me = new Username(who.getName());
        if (who instanceof ApiTokenAuthentication) {
            audit.recordAlone(me.value(), null, "user.password.change", target(me), "with an API token", AuditLog.Result.DENIED);
            throw new AccessDeniedException("an API token cannot change a password");
        }
        UserAccount account = existing(me);
        if (currentPassword == null || !passwordEncoder.matches(currentPassword, account.passwordHash())) {
            audit.recordAlone(me.value(), null, "user.password.change", target(me), "current password wrong",
                    AuditLog.Result.FAILED);
            throw new IllegalArgumentException("the current password is not right");
        }
        PasswordPolicy.check(me.value(), newPassword);
        users.setPasswordHash(me, passwordEncoder.encode(newPassword));
        audit.record(me.value(), "user.password.change", target(me), null);
    }

    private UserAccount existing(Username username) {
        return users.findByUsername(username)
                .orElseThrow(() -> new IllegalArgumentException("no user named '" + username + "'"));
    }

    /** Only a global administrator (not narrowed by a token); a refusal is audited. */
    private void requireAdmin(String action, Username target) {
        try {
            access.requireGlobalAdmin();
        } catch (AccessDeniedException e) {
            audit.recordAlone(access.caller().username(), null, action, target(target), e.getMessage(), AuditLog.Result.DENIED);
            throw e;
        }
    }

    static String target(Username username) {
        return "user:" + username;
    }

    static void checkPassword(String rawPassword) {
        PasswordPolicy.check(null, rawPassword);
    }
}
