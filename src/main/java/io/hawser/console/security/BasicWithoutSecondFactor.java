package io.hawser.console.security;

import io.hawser.console.users.SecondFactor;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * HTTP basic carries only the password: an account with a second factor is refused there (401), so the password
 * alone never gets in. Its scripts use API tokens, created in a session that showed the code.
 */
final class BasicWithoutSecondFactor extends OncePerRequestFilter {

    private final SecondFactor secondFactor;

    BasicWithoutSecondFactor(SecondFactor secondFactor) {
        this.secondFactor = secondFactor;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        if (who instanceof UsernamePasswordAuthenticationToken && who.isAuthenticated() && secondFactor.enabled(who.getName())) {
            SecurityContextHolder.clearContext();
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType("application/json");
            response.getOutputStream().write("{\"message\":\"this account signs in with a second factor: use an API token\"}"
                    .getBytes(StandardCharsets.UTF_8));
            return;
        }
        chain.doFilter(request, response);
    }
}
