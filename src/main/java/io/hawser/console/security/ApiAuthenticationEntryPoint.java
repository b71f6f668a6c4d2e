package io.hawser.console.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/** A REST request without valid credentials: 401 with a basic-auth challenge and dockerd's {@code {"message": ...}}. */
final class ApiAuthenticationEntryPoint implements AuthenticationEntryPoint {

    static final ApiAuthenticationEntryPoint INSTANCE = new ApiAuthenticationEntryPoint();

    private ApiAuthenticationEntryPoint() {}

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setHeader("WWW-Authenticate", "Basic realm=\"hawser\"");
        response.setContentType("application/json");
        response.getOutputStream().write("{\"message\":\"authentication required\"}".getBytes(StandardCharsets.UTF_8));
    }
}
