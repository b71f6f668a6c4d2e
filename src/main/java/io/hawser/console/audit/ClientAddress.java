package io.hawser.console.audit;

import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinSession;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.authentication.WebAuthenticationDetails;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The client address of whatever is being done on this thread: the current HTTP request's (REST, a view's own
 * request), else the Vaadin request's or the browser's of the current Vaadin session (server push, {@code UI.access}),
 * else the address the caller signed in or authenticated from (work handed to another thread with its
 * Authentication). The peer address as the servlet container sees it: behind a reverse proxy, configure
 * {@code server.forward-headers-strategy} so that it is the client's.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    /** The address, or null when nothing on this thread knows one (the console acting by itself). */
    public static String current() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            return servlet.getRequest().getRemoteAddr();
        }
        VaadinRequest vaadinRequest = VaadinRequest.getCurrent();
        if (vaadinRequest != null) {
            return vaadinRequest.getRemoteAddr();
        }
        VaadinSession session = VaadinSession.getCurrent();
        if (session != null && session.getBrowser() != null && session.getBrowser().getAddress() != null) {
            return session.getBrowser().getAddress();
        }
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    /** The address an authentication was made from, when it recorded one. */
    public static String of(Authentication authentication) {
        return authentication != null && authentication.getDetails() instanceof WebAuthenticationDetails web
                ? web.getRemoteAddress() : null;
    }
}
