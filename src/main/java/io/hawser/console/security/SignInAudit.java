package io.hawser.console.security;

import io.hawser.console.audit.AuditLog;
import io.hawser.console.audit.AuditLog.Result;
import org.springframework.context.event.EventListener;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.security.authentication.event.LogoutSuccessEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.stereotype.Component;

/** Every sign-in, failed sign-in and sign-out goes into the audit log, with the client's address. */
@Component
class SignInAudit {

    private final AuditLog audit;

    SignInAudit(AuditLog audit) {
        this.audit = audit;
    }

    @EventListener
    void succeeded(AuthenticationSuccessEvent event) {
        audit.recordAlone(event.getAuthentication().getName(), address(event.getAuthentication()), "login", null,
                null, Result.OK);
    }

    @EventListener
    void failed(AbstractAuthenticationFailureEvent event) {
        Result result = event.getException() instanceof LoginThrottledException ? Result.DENIED : Result.FAILED;
        audit.recordAlone(event.getAuthentication().getName(), address(event.getAuthentication()), "login", null,
                event.getException().getMessage(), result);
    }

    @EventListener
    void signedOut(LogoutSuccessEvent event) {
        audit.recordAlone(event.getAuthentication().getName(), address(event.getAuthentication()), "logout", null,
                null, Result.OK);
    }

    private static String address(Authentication authentication) {
        return authentication.getDetails() instanceof WebAuthenticationDetails web ? web.getRemoteAddress() : null;
    }
}
