package io.hawser.console.containers.ui;

import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.hawser.console.common.ui.LiveRefresh;
import io.hawser.console.containers.ContainerDetails;
import io.hawser.console.containers.ContainerEvent;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.inventory.InventoryChanges;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** The container's events from the fleet's event log, newest first; the list follows new events while shown. */
class EventsPanel extends VerticalLayout {

    static final int LIMIT = 500;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());

    private final ContainerDetails details;
    private final ContainerRef ref;
    private final Grid<ContainerEvent> grid = new Grid<>();

    EventsPanel(ContainerDetails details, ContainerRef ref, InventoryChanges changes) {
        this.details = details;
        this.ref = ref;
        setPadding(false);
        grid.setId("events-grid");
        grid.addColumn(e -> TIME.format(e.time())).setHeader("Time").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(ContainerEvent::action).setHeader("Action").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(ContainerEvent::attributesJson).setHeader("Attributes");
        add(grid);
        addAttachListener(e -> load());
        LiveRefresh.whileAttached(this, changes, this::load);
    }

    private void load() {
        try {
            grid.setItems(details.events(ref, LIMIT));
        } catch (RuntimeException e) {
            grid.setItems();
        }
    }
}
