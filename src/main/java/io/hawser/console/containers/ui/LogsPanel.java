package io.hawser.console.containers.ui;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.server.StreamResource;
import io.hawser.console.containers.ContainerDetails;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.containers.LogStream;
import io.hawser.console.link.ApiStream;
import java.io.IOException;
import java.util.Locale;

/**
 * The container's logs: the last lines, then new ones as they are written (pushed to the browser), a search that
 * hides lines without the text, and a download of the whole log as a file.
 */
class LogsPanel extends VerticalLayout implements LiveTab {

    static final int TAIL = 500;
    static final int KEEP = 2000;

    private final ContainerDetails details;
    private final ContainerRef ref;
    private final Div output = new Div();
    private final TextField search = new TextField();
    private final Checkbox follow = new Checkbox("Follow", true);
    private StreamPump pump;

    LogsPanel(ContainerDetails details, ContainerRef ref, String containerName) {
        this.details = details;
        this.ref = ref;
        setPadding(false);
        output.setId("logs-output");
        output.addClassName("logs-output");
        output.setWidthFull();
        search.setId("logs-search");
        search.setPlaceholder("Search the log");
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.LAZY);
        search.addValueChangeListener(e -> output.getChildren().forEach(line -> line.setVisible(matches(((Div) line).getText()))));
        follow.setId("logs-follow");
        follow.addValueChangeListener(e -> {
            if (pump != null || e.isFromClient()) {
                restart();
            }
        });
        Anchor download = new Anchor(new StreamResource(fileName(containerName), (out, session) -> {
            try (ApiStream logs = details.logs(ref, false, null, true)) {
                LogStream.copy(logs, (buffer, length) -> out.write(buffer, 0, length));
            }
        }), "Download");
        download.getElement().setAttribute("download", true);
        download.setId("logs-download");
        HorizontalLayout bar = new HorizontalLayout(search, follow, download);
        bar.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(bar, output);
        addDetachListener(e -> stop());
    }

    private void restart() {
        stop();
        output.removeAll();
        UI ui = UI.getCurrent();
        ApiStream logs;
        try {
            logs = details.logs(ref, follow.getValue(), TAIL, false);
        } catch (IOException | RuntimeException e) {
            output.add(Problems.text(e));
            return;
        }
        pump = StreamPump.start("logs " + ref.containerId(), logs, () -> LogStream.lines(logs, line -> ui.access(() -> append(line))));
    }

    private void append(String text) {
        Div line = new Div();
        line.setText(text);
        line.addClassName("log-line");
        line.setVisible(matches(text));
        output.add(line);
        if (output.getComponentCount() > KEEP) {
            output.getComponentAt(0).removeFromParent();
        }
        output.getElement().executeJs("this.scrollTop = this.scrollHeight");
    }

    private boolean matches(String text) {
        String q = search.getValue();
        return q == null || q.isBlank() || text.toLowerCase(Locale.ROOT).contains(q.strip().toLowerCase(Locale.ROOT));
    }

    @Override
    public void shown() {
        restart();
    }

    @Override
    public void hidden() {
        stop();
    }

    private void stop() {
        if (pump != null) {
            pump.stop();
            pump = null;
        }
    }

    private static String fileName(String containerName) {
        return (containerName == null ? "container" : containerName.replaceAll("[^A-Za-z0-9_.-]", "_")) + ".log";
    }
}
