package io.hawser.console.security;

import io.hawser.console.users.SecondFactor;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The sign-in's second step, a plain HTML form (outside Vaadin, so nothing of the console loads before the code is
 * shown). Wrong codes count towards the sign-in throttle like wrong passwords, and are audited.
 */
@Controller
class SecondFactorController {

    private final SecondFactor secondFactor;
    private final LoginThrottle throttle;

    SecondFactorController(SecondFactor secondFactor, LoginThrottle throttle) {
        this.secondFactor = secondFactor;
        this.throttle = throttle;
    }

    @GetMapping(SecondFactorFilter.PAGE)
    void form(HttpServletRequest request, HttpServletResponse response, @RequestParam(required = false) String error)
            throws IOException {
        CsrfToken csrf = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
        String message = error == null ? "" : "<p id=\"totp-error\" class=\"error\">That code is not right, or was used already. "
                + "Try the next one.</p>";
        String page = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><title>Sign in · Hawser</title>
                <link rel="stylesheet" href="/hawser/hawser.css"></head>
                <body style="font-family: sans-serif; max-width: 28em; margin: 4em auto">
                <h1>Hawser</h1>
                <p>Enter the 6-digit code from your authenticator app.</p>
                %s
                <form method="post" action="/login/totp">
                <input type="hidden" name="%s" value="%s">
                <input id="totp-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8" autofocus required>
                <button id="totp-submit" type="submit">Verify</button>
                </form>
                <form method="post" action="/logout"><input type="hidden" name="%s" value="%s">
                <button id="totp-cancel" type="submit">Sign out</button></form>
                </body></html>""".formatted(message, html(csrf.getParameterName()), html(csrf.getToken()),
                html(csrf.getParameterName()), html(csrf.getToken()));
        response.setContentType("text/html; charset=utf-8");
        response.getOutputStream().write(page.getBytes(StandardCharsets.UTF_8));
    }

    @PostMapping(SecondFactorFilter.PAGE)
    void verify(@RequestParam(required = false) String code, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        String address = request.getRemoteAddr();
        if (throttle.lockedUntil(who.getName(), address).isPresent()) {
            response.sendRedirect("/login/totp?error");
            return;
        }
        if (secondFactor.verify(who.getName(), address, code)) {
            throttle.recordSuccess(who.getName(), address);
            SecondFactorFilter.passed(request.getSession(), who);
            response.sendRedirect("/");
        } else {
            throttle.recordFailure(who.getName(), address);
            response.sendRedirect("/login/totp?error");
        }
    }

    private static String html(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
