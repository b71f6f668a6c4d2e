package io.hawser.console.security;

import com.vaadin.flow.server.VaadinSession;
import io.hawser.console.access.Access;
import io.hawser.console.access.NotVisibleException;
import io.hawser.console.audit.AuditLog;
import io.hawser.console.audit.ClientAddress;
import io.hawser.console.users.UserSessionsEnd;
import jakarta.servlet.http.HttpSession;
import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The console's signed-in browser sessions, as this console process holds them (an {@link HttpSessionListener}):
 * a user lists and ends their own, a global administrator everyone's; a disabled user's sessions, and those of a
 * user whose password an administrator reset, end at once. Sessions live in this process's memory, so with
 * several console replicas each lists and ends only its own; a shared session store (Spring Session JDBC) would
 * be needed for that. {@link Access} refuses a disabled user even in a session that lives on.
 */
@Component
public class ConsoleSessions implements HttpSessionListener {

    private final Map<String, HttpSession> sessions = new ConcurrentHashMap<>();
    private final Access access;
    private final AuditLog audit;

    ConsoleSessions(Access access, AuditLog audit) {
        this.access = access;
        this.audit = audit;
    }

    @Override
    public void sessionCreated(HttpSessionEvent event) {
        sessions.put(event.getSession().getId(), event.getSession());
    }

    @Override
    public void sessionDestroyed(HttpSessionEvent event) {
        sessions.remove(event.getSession().getId());
    }

    /** The caller's own sessions; every signed-in session for a global administrator. Newest first. */
    @PreAuthorize("isAuthenticated()")
    public List<SessionInfo> list() {
        boolean all = access.isGlobalAdmin();
        String me = access.caller().username();
        String current = currentSessionId().orElse(null);
        List<SessionInfo> out = new ArrayList<>();
        for (HttpSession session : sessions.values()) {
            describe(session, current).filter(s -> all || s.username().equals(me)).ifPresent(out::add);
        }
        out.sort(Comparator.comparing(SessionInfo::createdAt).reversed());
        return out;
    }

    /**
     * Ends a session of the caller's (anyone's, for a global administrator). The caller's current session is ended
     * by signing out, not here.
     */
    @PreAuthorize("isAuthenticated()")
    public void revoke(String handle) {
        String me = access.caller().username();
        String current = currentSessionId().orElse(null);
        for (HttpSession session : sessions.values()) {
            Optional<SessionInfo> info = describe(session, current);
            if (info.isPresent() && info.get().handle().equals(handle)
                    && (info.get().username().equals(me) || access.isGlobalAdmin())) {
                if (info.get().current()) {
                    throw new IllegalArgumentException("this is your current session: sign out to end it");
                }
                invalidate(session);
                audit.recordAlone(me, null, "session.revoke", "user:" + info.get().username(),
                        "session " + handle + " from " + info.get().address(), AuditLog.Result.OK);
                return;
            }
        }
        audit.recordAlone(me, null, "session.revoke", null, "no such session of the caller's: " + handle, AuditLog.Result.DENIED);
        throw new NotVisibleException("No such session: " + handle);
    }

    /** Ends every session of a user who was disabled or whose password was reset, once that change is committed. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void endSessionsOf(UserSessionsEnd event) {
        endSessionsOf(event.username());
    }

    /** @return how many sessions ended */
    int endSessionsOf(String username) {
        int ended = 0;
        for (HttpSession session : sessions.values()) {
            if (username.equals(usernameOf(session).orElse(null))) {
                invalidate(session);
                ended++;
            }
        }
        return ended;
    }

    private Optional<SessionInfo> describe(HttpSession session, String currentId) {
        try {
            Optional<Authentication> who = authenticationOf(session);
            return who.map(a -> new SessionInfo(handle(session.getId()), a.getName(),
                    ClientAddress.of(a), Instant.ofEpochMilli(session.getCreationTime()),
                    Instant.ofEpochMilli(session.getLastAccessedTime()), session.getId().equals(currentId)));
        } catch (IllegalStateException invalidated) {
            return Optional.empty();
        }
    }

    private static Optional<String> usernameOf(HttpSession session) {
        try {
            return authenticationOf(session).map(Authentication::getName);
        } catch (IllegalStateException invalidated) {
            return Optional.empty();
        }
    }

    private static Optional<Authentication> authenticationOf(HttpSession session) {
        Object context = session.getAttribute(HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY);
        return context instanceof SecurityContext sc ? Optional.ofNullable(sc.getAuthentication()) : Optional.empty();
    }

    private void invalidate(HttpSession session) {
        sessions.remove(session.getId());
        try {
            session.invalidate();
        } catch (IllegalStateException already) {
            // ended meanwhile
        }
    }

    private static Optional<String> currentSessionId() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes servlet) {
            HttpSession s = servlet.getRequest().getSession(false);
            if (s != null) {
                return Optional.of(s.getId());
            }
        }
        VaadinSession vaadin = VaadinSession.getCurrent();
        return vaadin == null || vaadin.getSession() == null ? Optional.empty() : Optional.of(vaadin.getSession().getId());
    }

    /** A stable name for a session that does not give its id away: 16 characters of the id's SHA-256. */
    static String handle(String sessionId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
