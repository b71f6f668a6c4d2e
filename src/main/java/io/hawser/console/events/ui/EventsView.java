package io.hawser.console.events.ui;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.hawser.console.common.ui.LiveRefresh;
import io.hawser.console.common.ui.MainLayout;
import io.hawser.console.events.EventEntry;
import io.hawser.console.events.EventQuery;
import io.hawser.console.events.FleetEvents;
import io.hawser.console.hosts.Host;
import io.hawser.console.hosts.HostService;
import io.hawser.console.inventory.InventoryChanges;
import jakarta.annotation.security.PermitAll;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * The engine events of every host the signed-in user may see, newest first, in one lazily loaded grid with filters by
 * host, type, container and time range. Live: the link records an event through the inventory, whose change
 * notification (InventoryChanges) refreshes this grid by server push while it is shown.
 */
@Route(value = "events", layout = MainLayout.class)
@PageTitle("Events · Hawser")
@PermitAll
public class EventsView extends VerticalLayout {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

    private final FleetEvents events;
    private final Grid<EventEntry> grid = new Grid<>();
    private EventQuery query = EventQuery.ALL;

    public EventsView(FleetEvents events, HostService hosts, InventoryChanges changes) {
        this.events = events;
        setSizeFull();
        add(new H2("Events"), filters(hosts.visibleHosts()));
        configureGrid();
        addAndExpand(grid);
        LiveRefresh.whileAttached(this, changes, () -> grid.getDataProvider().refreshAll());
    }

    private HorizontalLayout filters(List<Host> visibleHosts) {
        ComboBox<Host> host = new ComboBox<>("Host", visibleHosts);
        host.setId("filter-host");
        host.setItemLabelGenerator(Host::name);
        host.setClearButtonVisible(true);
        host.addValueChangeListener(e -> refilter(q -> q.withHost(e.getValue() == null ? null : e.getValue().id())));
        Select<String> type = new Select<>();
        type.setId("filter-type");
        type.setLabel("Type");
        type.setItems(new TreeSet<>(EventQuery.TYPES));
        type.setEmptySelectionAllowed(true);
        type.setEmptySelectionCaption("any");
        type.addValueChangeListener(e -> refilter(q -> q.withType(e.getValue())));
        TextField container = new TextField("Container");
        container.setId("filter-container");
        container.setPlaceholder("name or id");
        container.setClearButtonVisible(true);
        container.setValueChangeMode(ValueChangeMode.LAZY);
        container.addValueChangeListener(e -> refilter(q -> q.withContainer(e.getValue())));
        DateTimePicker since = new DateTimePicker("From");
        since.setId("filter-since");
        since.addValueChangeListener(e -> refilter(q -> q.withSince(instant(e.getValue()))));
        DateTimePicker until = new DateTimePicker("Until");
        until.setId("filter-until");
        until.addValueChangeListener(e -> refilter(q -> q.withUntil(instant(e.getValue()))));
        HorizontalLayout row = new HorizontalLayout(host, type, container, since, until);
        row.setAlignItems(FlexComponent.Alignment.BASELINE);
        row.setWrap(true);
        return row;
    }

    private void configureGrid() {
        grid.setId("events-grid");
        grid.addColumn(e -> TIME.format(e.time())).setHeader("Time").setAutoWidth(true);
        grid.addColumn(EventEntry::hostName).setHeader("Host").setAutoWidth(true);
        grid.addColumn(EventEntry::type).setHeader("Type").setAutoWidth(true);
        grid.addColumn(EventEntry::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(EventEntry::actorName).setHeader("Object").setAutoWidth(true);
        grid.addColumn(EventsView::details).setHeader("Details").setFlexGrow(1);
        // Rows are identified by the event's id: a refresh keeps the scroll position on the same events.
        grid.setItems(new CallbackDataProvider<EventEntry, Void>(
                q -> events.list(query, q.getOffset(), Math.min(q.getLimit(), FleetEvents.MAX_LIMIT)).stream(),
                q -> events.count(query), EventEntry::id));
    }

    /** The attributes besides the name, as {@code key=value}; text, so a crafted value shows as it is. */
    private static String details(EventEntry e) {
        return e.attributes().entrySet().stream().filter(a -> !a.getKey().equals("name"))
                .sorted(java.util.Map.Entry.comparingByKey())
                .map(a -> a.getKey() + "=" + a.getValue()).collect(Collectors.joining(" "));
    }

    private void refilter(UnaryOperator<EventQuery> change) {
        try {
            query = change.apply(query);
        } catch (IllegalArgumentException e) {
            Notification.show(e.getMessage(), 5000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
            return;
        }
        grid.getDataProvider().refreshAll();
    }

    private static Instant instant(LocalDateTime value) {
        return value == null ? null : value.atZone(ZoneId.systemDefault()).toInstant();
    }
}
