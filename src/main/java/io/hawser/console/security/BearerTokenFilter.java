package io.hawser.console.security;

import io.hawser.console.audit.AuditLog;
import io.hawser.console.users.ApiTokenAuthentication;
import io.hawser.console.users.ApiTokens;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code Authorization: Bearer <API token>} on the REST API ({@code /api/**}): the token stands for its user, with
 * the user's rights capped by the token's role (see {@link ApiTokens}). Stateless: nothing is kept between requests.
 * An unknown, revoked or expired token, or a disabled user's, is answered 401 {@code {"message": ...}} at once (and
 * the refusal audited, as a failed sign-in is); a request without a bearer token goes on to HTTP basic.
 */
final class BearerTokenFilter extends OncePerRequestFilter {

    private static final String BEARER = "bearer ";

    private final ApiTokens tokens;
    private final AuditLog audit;
    private final WebAuthenticationDetailsSource details = new WebAuthenticationDetailsSource();
    /**
     * Where the request's later dispatches find the caller (as HTTP basic keeps it): a streamed answer (logs follow)
     * ends in an async dispatch that this filter does not see again, and without it that dispatch is unauthenticated.
     */
    private final org.springframework.security.web.context.SecurityContextRepository repository =
            new org.springframework.security.web.context.RequestAttributeSecurityContextRepository();

    BearerTokenFilter(ApiTokens tokens, AuditLog audit) {
        this.tokens = tokens;
        this.audit = audit;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || header.length() < BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            chain.doFilter(request, response);
            return;
        }
        ApiTokenAuthentication authentication;
        try {
            authentication = tokens.authenticate(header.substring(BEARER.length()).strip());
        } catch (AuthenticationException e) {
            audit.recordAlone("api-token", request.getRemoteAddr(), "login", request.getMethod() + " " + request.getRequestURI(),
                    e.getMessage(), AuditLog.Result.FAILED);
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"hawser\", error=\"invalid_token\"");
            response.setContentType("application/json");
            response.getOutputStream().write(("{\"message\":\"" + json(e.getMessage()) + "\"}").getBytes(StandardCharsets.UTF_8));
            return;
        }
        authentication.setDetails(details.buildDetails(request));
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(authentication);
        SecurityContextHolder.setContext(context);
        repository.saveContext(context, request, response);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }

    private static String json(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : (s == null ? "invalid token" : s).toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
