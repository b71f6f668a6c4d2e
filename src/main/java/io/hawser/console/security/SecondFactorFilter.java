package io.hawser.console.security;

import io.hawser.console.users.SecondFactor;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * After the password, the code: a browser session whose user has a second factor goes to {@code /login/totp}
 * until it has shown a code (see {@link SecondFactorController}). What was checked is remembered in the session
 * against the very Authentication object of this sign-in, so a new sign-in in the same session asks again.
 */
final class SecondFactorFilter extends OncePerRequestFilter {

    static final String PAGE = "/login/totp";
    /** Session attribute: the Authentication that has shown its code, or that needs none. */
    static final String PASSED = "hawser.second-factor.passed";

    private final SecondFactor secondFactor;

    SecondFactorFilter(SecondFactor secondFactor) {
        this.secondFactor = secondFactor;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        HttpSession session = request.getSession(false);
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (who == null || !who.isAuthenticated() || who instanceof AnonymousAuthenticationToken || session == null
                || path.equals(PAGE) || path.equals("/logout") || path.startsWith("/hawser/")
                || session.getAttribute(PASSED) == who) {
            chain.doFilter(request, response);
            return;
        }
        if (!secondFactor.enabled(who.getName())) {
            session.setAttribute(PASSED, who);
            chain.doFilter(request, response);
            return;
        }
        response.sendRedirect(request.getContextPath() + PAGE);
    }

    static void passed(HttpSession session, Authentication who) {
        session.setAttribute(PASSED, who);
    }
}
