package io.hawser.console.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Ends a session that has lasted {@code hawser.session.absolute-timeout} (12 h by default) however active it is,
 * before Spring Security looks at it, so the request finds itself signed out. The idle timeout is the servlet
 * container's ({@code server.servlet.session.timeout}); Vaadin's heartbeats do not count as activity
 * ({@code vaadin.close-idle-sessions}).
 */
final class SessionAbsoluteTimeout extends OncePerRequestFilter {

    private final Duration absolute;

    SessionAbsoluteTimeout(Duration absolute) {
        this.absolute = absolute;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        HttpSession session = request.getSession(false);
        if (session != null) {
            try {
                if (expired(session.getCreationTime(), Instant.now(), absolute)) {
                    session.invalidate();
                }
            } catch (IllegalStateException alreadyInvalid) {
                // nothing to end
            }
        }
        chain.doFilter(request, response);
    }

    static boolean expired(long createdMillis, Instant now, Duration absolute) {
        return !now.isBefore(Instant.ofEpochMilli(createdMillis).plus(absolute));
    }
}
