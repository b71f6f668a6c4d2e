package io.hawser.console.security;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Puts {@link LoginThrottle} in front of password checking, for the sign-in form and HTTP basic alike: a locked
 * user or address is refused before the password is even looked at, so guessing cannot go on during a lockout.
 */
class ThrottledAuthenticationProvider implements AuthenticationProvider {

    private final AuthenticationProvider passwords;
    private final LoginThrottle throttle;

    ThrottledAuthenticationProvider(AuthenticationProvider passwords, LoginThrottle throttle) {
        this.passwords = passwords;
        this.throttle = throttle;
    }

    @Override
    public Authentication authenticate(Authentication attempt) throws AuthenticationException {
        String username = attempt.getName();
        String address = attempt.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
        var lockedUntil = throttle.lockedUntil(username, address);
        if (lockedUntil.isPresent()) {
            throw new LoginThrottledException(lockedUntil.get());
        }
        try {
            Authentication result = passwords.authenticate(attempt);
            throttle.recordSuccess(username, address);
            return result;
        } catch (BadCredentialsException | org.springframework.security.authentication.DisabledException e) {
            throttle.recordFailure(username, address);
            throw e;
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
