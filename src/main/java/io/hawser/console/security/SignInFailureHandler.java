package io.hawser.console.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.SimpleUrlAuthenticationFailureHandler;

/**
 * Back to the sign-in page after a failure: {@code ?locked} when throttled, {@code ?error} otherwise. The exception
 * stays in the session (as Spring Security's default handler leaves it) so the page can say how long the lockout lasts.
 */
class SignInFailureHandler extends SimpleUrlAuthenticationFailureHandler {

    @Override
    public void onAuthenticationFailure(HttpServletRequest request, HttpServletResponse response,
                                        AuthenticationException exception) throws IOException {
        saveException(request, exception);
        String target = exception instanceof LoginThrottledException ? "/login?locked" : "/login?error";
        getRedirectStrategy().sendRedirect(request, response, target);
    }
}
