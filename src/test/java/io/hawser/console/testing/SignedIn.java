package io.hawser.console.testing;

import io.hawser.console.users.Role;
import java.util.concurrent.Callable;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/** Calls into console services as a signed-in administrator, from test code (no HTTP, no browser). */
public final class SignedIn {

    private SignedIn() {}

    /** {@code call} as administrator {@code name}; the previous authentication is restored afterwards. */
    public static <T> T asAdmin(String name, Callable<T> call) throws Exception {
        var before = SecurityContextHolder.getContext().getAuthentication();
        SecurityContextHolder.getContext().setAuthentication(new UsernamePasswordAuthenticationToken(
                name, null, AuthorityUtils.createAuthorityList(Role.ADMIN.authority())));
        try {
            return call.call();
        } finally {
            SecurityContextHolder.getContext().setAuthentication(before);
        }
    }
}
