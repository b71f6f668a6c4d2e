package io.hawser.console.containers.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.dependency.JavaScript;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.hawser.console.containers.ContainerDetails;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.containers.StatsSample;
import io.hawser.console.link.ApiStream;
import java.io.IOException;
import java.util.Locale;

/**
 * Live charts of the agent's stats stream (one document a second): CPU %, memory, network and block I/O rates, drawn
 * in the browser with uPlot (a static resource, see docs/decisions/0002-frontend-without-bundle-build.md).
 */
@JavaScript("context://hawser/vendor/uplot-1.6.30/uPlot.iife.min.js")
@JavaScript("context://hawser/container-stats.js")
@StyleSheet("context://hawser/vendor/uplot-1.6.30/uPlot.min.css")
class StatsPanel extends VerticalLayout implements LiveTab {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ContainerDetails details;
    private final ContainerRef ref;
    private final Div charts = new Div();
    private final Span cpu = new Span();
    private final Span memory = new Span();
    private final Span network = new Span();
    private final Span block = new Span();
    private StreamPump pump;

    StatsPanel(ContainerDetails details, ContainerRef ref) {
        this.details = details;
        this.ref = ref;
        setPadding(false);
        cpu.setId("stats-cpu");
        memory.setId("stats-memory");
        network.setId("stats-network");
        block.setId("stats-block");
        charts.setId("stats-charts");
        charts.addClassName("stats-charts");
        charts.setWidthFull();
        add(new HorizontalLayout(cpu, memory, network, block), charts);
        addDetachListener(e -> stop());
    }

    private void start() {
        stop();
        getChildren().filter(c -> c.hasClassName("problem")).toList().forEach(this::remove);
        charts.getElement().executeJs("window.hawserStats.init(this)");
        UI ui = UI.getCurrent();
        ApiStream stats;
        try {
            stats = details.statsStream(ref);
        } catch (IOException | RuntimeException e) {
            add(Problems.text(e));
            return;
        }
        pump = StreamPump.start("stats " + ref.containerId(), stats, () -> {
            try (MappingIterator<JsonNode> docs = JSON.readerFor(JsonNode.class).readValues(stats.body())) {
                JsonNode previous = null;
                while (docs.hasNextValue()) {
                    JsonNode doc = docs.nextValue();
                    StatsSample s = StatsSample.of(doc, previous);
                    previous = doc;
                    ui.access(() -> show(s));
                }
            }
        });
    }

    private void show(StatsSample s) {
        cpu.setText(String.format(Locale.ROOT, "CPU %.1f %%", s.cpuPercent()));
        memory.setText("Memory " + Sizes.memory(s.memoryBytes(), s.memoryLimit() > 0 ? s.memoryLimit() : null));
        network.setText("Net ↓ " + Sizes.bytes((long) s.rxPerSecond()) + "/s ↑ " + Sizes.bytes((long) s.txPerSecond()) + "/s");
        block.setText("Disk read " + Sizes.bytes((long) s.readPerSecond()) + "/s, write " + Sizes.bytes((long) s.writePerSecond()) + "/s");
        charts.getElement().executeJs("window.hawserStats.push(this, $0, $1, $2, $3, $4, $5, $6)",
                s.time().toEpochMilli() / 1000.0, s.cpuPercent(), (double) s.memoryBytes(), s.rxPerSecond(), s.txPerSecond(),
                s.readPerSecond(), s.writePerSecond());
    }

    @Override
    public void shown() {
        start();
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
}
