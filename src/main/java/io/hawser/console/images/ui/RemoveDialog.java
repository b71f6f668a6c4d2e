package io.hawser.console.images.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Paragraph;
import io.hawser.console.images.FleetImage;
import io.hawser.console.images.FleetImages;
import java.util.List;

/** Confirms the removal of an image from the chosen hosts ({@code docker rmi [-f]} on each). */
class RemoveDialog extends Dialog {

    RemoveDialog(FleetImages images, FleetImage image, List<FleetImage.HostRef> hosts) {
        setHeaderTitle("Remove " + image.repoTag() + "?");
        HostChoice choice = new HostChoice("From hosts", hosts, true);
        Checkbox force = new Checkbox("Force (also when stopped containers use it, or it has several names)");
        force.setId("remove-force");
        add(new Paragraph("Image " + image.shortId() + " is removed from each chosen host. This cannot be undone."),
                choice, force);
        Button remove = new Button("Remove", click -> {
            if (choice.chosen().isEmpty()) {
                Notifications.error("Choose at least one host");
                return;
            }
            for (FleetImage.HostRef host : choice.chosen()) {
                try {
                    images.remove(host.id(), image.reference(), force.getValue());
                    Notifications.ok("Removed " + image.repoTag() + " from " + host.name());
                } catch (RuntimeException e) {
                    Notifications.error(host.name() + ": " + Notifications.describe(e));
                }
            }
            close();
        });
        remove.setId("remove-confirm");
        remove.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_ERROR);
        getFooter().add(new Button("Cancel", click -> close()), remove);
    }
}
