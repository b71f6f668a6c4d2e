package io.hawser.console.images.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.textfield.TextField;
import io.hawser.console.images.FleetImage;
import io.hawser.console.images.FleetImages;
import java.util.List;

/** Gives an image another name on the chosen hosts ({@code docker tag} on each). */
class TagDialog extends Dialog {

    TagDialog(FleetImages images, FleetImage image, List<FleetImage.HostRef> hosts) {
        setHeaderTitle("Tag " + image.repoTag());
        HostChoice choice = new HostChoice("On hosts", hosts, true);
        TextField repo = new TextField("Repository");
        repo.setId("tag-repo");
        repo.setPlaceholder("registry:5000/team/app");
        repo.setRequired(true);
        TextField tag = new TextField("Tag");
        tag.setId("tag-tag");
        tag.setPlaceholder("latest");
        add(choice, repo, tag);
        Button apply = new Button("Tag", click -> {
            if (choice.chosen().isEmpty()) {
                Notifications.error("Choose at least one host");
                return;
            }
            boolean allOk = true;
            for (FleetImage.HostRef host : choice.chosen()) {
                try {
                    images.tag(host.id(), image.reference(), repo.getValue(), tag.getValue());
                } catch (RuntimeException e) {
                    allOk = false;
                    Notifications.error(host.name() + ": " + Notifications.describe(e));
                }
            }
            if (allOk) {
                Notifications.ok("Tagged " + image.repoTag() + " as " + repo.getValue()
                        + (tag.getValue().isBlank() ? "" : ":" + tag.getValue()));
                close();
            }
        });
        apply.setId("tag-confirm");
        apply.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", click -> close()), apply);
    }
}
