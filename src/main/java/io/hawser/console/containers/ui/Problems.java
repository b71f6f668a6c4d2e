package io.hawser.console.containers.ui;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import io.hawser.console.access.NotVisibleException;
import io.hawser.console.common.api.AgentErrorException;
import io.hawser.console.link.HostNotConnectedException;
import java.io.UncheckedIOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;

/** What the user is told when a read or an action on a container fails: a sentence, never a stack trace. */
final class Problems {

    private static final Logger log = LoggerFactory.getLogger(Problems.class);

    private Problems() {
    }

    static String message(Throwable e) {
        if (e instanceof AgentErrorException || e instanceof AccessDeniedException || e instanceof NotVisibleException
                || e instanceof IllegalArgumentException || e instanceof HostNotConnectedException
                || e instanceof UncheckedIOException) {
            return e.getMessage();
        }
        log.warn("container view: unexpected failure", e);
        return "something went wrong; the console's log has the details";
    }

    static Span text(Throwable e) {
        Span span = new Span(message(e));
        span.addClassName("problem");
        return span;
    }

    static void notify(Throwable e) {
        Notification n = Notification.show(message(e), 6000, Notification.Position.MIDDLE);
        n.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
}
