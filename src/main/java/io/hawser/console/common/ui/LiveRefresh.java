package io.hawser.console.common.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import io.hawser.console.inventory.InventoryChanges;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Runs a view's refresh, by server push, whenever the inventory changed while the view is attached.
 *
 * <p>The refresh runs on the notifier's thread, where no request brought the user's security context, yet the services
 * it queries are authorised: it runs with the authentication of the user who opened the view. {@code UI.access} runs
 * the command and pushes in the calling thread when the session is free (a data provider fetches during that push),
 * or queues it for the request thread holding the session, which has the same user's context.
 */
public final class LiveRefresh {

    private LiveRefresh() {
    }

    public static void whileAttached(Component view, InventoryChanges changes, Runnable refresh) {
        view.addAttachListener(attach -> {
            UI ui = attach.getUI();
            Authentication user = SecurityContextHolder.getContext().getAuthentication();
            Runnable unsubscribe = changes.subscribe(() -> {
                SecurityContext context = SecurityContextHolder.createEmptyContext();
                context.setAuthentication(user);
                SecurityContextHolder.setContext(context);
                try {
                    ui.access(refresh::run);
                } catch (UIDetachedException gone) {
                    // closed meanwhile; the detach listener unsubscribes
                } finally {
                    SecurityContextHolder.clearContext();
                }
            });
            attach.unregisterListener(); // one subscription per attach, removed on the matching detach
            view.addDetachListener(detach -> {
                unsubscribe.run();
                detach.unregisterListener();
                whileAttached(view, changes, refresh);
            });
        });
    }
}
