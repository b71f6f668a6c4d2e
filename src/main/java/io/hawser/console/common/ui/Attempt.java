package io.hawser.console.common.ui;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import io.hawser.console.access.NotVisibleException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.access.AccessDeniedException;

/** Runs a view's action; a refusal or bad input becomes a notification (its message as text), never a stack trace. */
public final class Attempt {

    private static final Logger log = LoggerFactory.getLogger(Attempt.class);

    private Attempt() {
    }

    /** @return whether the action succeeded */
    public static boolean run(Runnable action) {
        try {
            action.run();
            return true;
        } catch (IllegalArgumentException | AccessDeniedException | NotVisibleException e) {
            error(e.getMessage());
        } catch (RuntimeException e) {
            log.error("view action failed", e);
            error("Something went wrong; the console's log has the details.");
        }
        return false;
    }

    public static void error(String message) {
        Notification n = Notification.show(message, 6000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(NotificationVariant.LUMO_ERROR);
    }

    public static void done(String message) {
        Notification n = Notification.show(message, 4000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(NotificationVariant.LUMO_SUCCESS);
    }
}
