package io.hawser.console.containers.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.formlayout.FormLayout;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.NumberField;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.containers.ContainerRunner;
import io.hawser.console.containers.RunSpec;
import java.util.Arrays;
import java.util.List;

/**
 * "Run container": a host the user may run containers on, an image the inventory knows there (or any other name), and
 * the usual {@code docker run} options. The service checks everything again; a bad field is a notification.
 */
class RunContainerDialog extends Dialog {

    private final ContainerRunner runner;
    private final ComboBox<ContainerRunner.RunHost> host = new ComboBox<>("Host");
    private final ComboBox<String> image = new ComboBox<>("Image");
    private final TextField name = new TextField("Name");
    private final TextField command = new TextField("Command");
    private final TextArea env = new TextArea("Environment (KEY=value, one a line)");
    private final TextArea ports = new TextArea("Ports ([ip:]host:container[/udp], one a line)");
    private final TextArea volumes = new TextArea("Volumes (host-path-or-name:container-path[:ro], one a line)");
    private final TextField memory = new TextField("Memory limit");
    private final NumberField cpus = new NumberField("CPUs");
    private final Select<String> restart = new Select<>();
    private final TextField retries = new TextField("On-failure retries");

    RunContainerDialog(ContainerRunner runner) {
        this.runner = runner;
        setHeaderTitle("Run a container");
        setId("run-dialog");
        setWidth("min(52rem, 95vw)");
        host.setId("run-host");
        host.setItems(runner.hostsToRunOn());
        host.setItemLabelGenerator(ContainerRunner.RunHost::name);
        host.addValueChangeListener(e -> image.setItems(e.getValue() == null ? List.of() : runner.imageTags(e.getValue().id())));
        image.setId("run-image");
        image.setAllowCustomValue(true);
        image.addCustomValueSetListener(e -> image.setValue(e.getDetail()));
        name.setId("run-name");
        command.setId("run-command");
        command.setPlaceholder("sh -c 'echo hello'");
        env.setId("run-env");
        ports.setId("run-ports");
        volumes.setId("run-volumes");
        memory.setId("run-memory");
        memory.setPlaceholder("256m");
        cpus.setId("run-cpus");
        cpus.setStep(0.1);
        cpus.setMin(0);
        restart.setId("run-restart");
        restart.setLabel("Restart policy");
        restart.setItems("no", "always", "unless-stopped", "on-failure");
        restart.setValue("no");
        retries.setId("run-retries");
        retries.setPlaceholder("none");
        FormLayout form = new FormLayout(host, image, name, command, env, ports, volumes, memory, cpus, restart, retries);
        form.setColspan(env, 2);
        add(form);
        Button run = new Button("Run", e -> run());
        run.setId("run-submit");
        run.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button cancel = new Button("Cancel", e -> close());
        getFooter().add(cancel, run);
    }

    private void run() {
        if (host.getValue() == null) {
            warn("Choose a host.");
            return;
        }
        try {
            String policy = restart.getValue();
            if ("on-failure".equals(policy) && !retries.getValue().isBlank()) {
                policy += ":" + retries.getValue().strip();
            }
            RunSpec spec = new RunSpec(image.getValue(), name.getValue(), RunSpec.splitCommand(command.getValue()),
                    lines(env.getValue()), lines(ports.getValue()), lines(volumes.getValue()), memory.getValue(),
                    cpus.getValue(), policy);
            ContainerRunner.Started started = runner.run(host.getValue().id(), spec);
            Notification.show("Started " + started.containerId().substring(0, 12) + " on " + host.getValue().name())
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            // Navigate before closing: a closed dialog is detached and has no UI any more.
            getUI().ifPresent(ui -> ui.navigate(ContainerDetailView.class,
                    ContainerDetailView.route(new ContainerRef(started.hostId(), started.containerId()))));
            close();
        } catch (RuntimeException e) {
            Problems.notify(e);
        }
    }

    private static List<String> lines(String text) {
        return text == null ? List.of() : Arrays.stream(text.split("\\R")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static void warn(String message) {
        Notification.show(message, 5000, Notification.Position.MIDDLE).addThemeVariants(NotificationVariant.LUMO_ERROR);
    }
}
