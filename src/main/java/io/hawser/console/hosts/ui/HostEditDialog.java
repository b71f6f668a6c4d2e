package io.hawser.console.hosts.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import io.hawser.console.common.ui.Attempt;
import io.hawser.console.hosts.Host;
import io.hawser.console.hosts.HostService;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Renames a host and replaces its labels (one {@code key=value} a line); HostService checks and audits each change. */
class HostEditDialog extends Dialog {

    HostEditDialog(HostService hosts, Host host, Runnable afterwards) {
        setHeaderTitle("Host " + host.name());
        setId("host-edit-dialog");
        TextField name = new TextField("Name");
        name.setId("host-name");
        name.setValue(host.name());
        name.setWidthFull();
        TextArea labels = new TextArea("Labels, one key=value a line");
        labels.setId("host-labels");
        labels.setValue(host.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n")));
        labels.setWidthFull();
        VerticalLayout body = new VerticalLayout(name, labels);
        body.setPadding(false);
        add(body);

        Button save = new Button("Save", click -> {
            Map<String, String> parsed = new LinkedHashMap<>();
            for (String line : labels.getValue().split("\n")) {
                String l = line.strip();
                if (l.isEmpty()) {
                    continue;
                }
                int eq = l.indexOf('=');
                if (eq <= 0) {
                    Attempt.error("A label is key=value: " + l);
                    return;
                }
                parsed.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
            }
            boolean ok = Attempt.run(() -> {
                if (!name.getValue().strip().equals(host.name())) {
                    hosts.rename(host.id(), name.getValue());
                }
                if (!parsed.equals(host.labels())) {
                    hosts.setLabels(host.id(), parsed);
                }
            });
            if (ok) {
                close();
                afterwards.run();
            }
        });
        save.setId("save-host");
        save.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        getFooter().add(new Button("Cancel", click -> close()), save);
    }
}
