package io.hawser.console.containers.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteParameters;
import com.vaadin.flow.router.RouterLink;
import io.hawser.console.access.Access;
import io.hawser.console.access.NotVisibleException;
import io.hawser.console.access.Permission;
import io.hawser.console.common.ui.LiveRefresh;
import io.hawser.console.common.ui.MainLayout;
import io.hawser.console.containers.ActionResult;
import io.hawser.console.containers.ContainerAction;
import io.hawser.console.containers.ContainerDetails;
import io.hawser.console.containers.ContainerRef;
import io.hawser.console.containers.ContainerTerminals;
import io.hawser.console.containers.FleetContainer;
import io.hawser.console.containers.FleetContainers;
import io.hawser.console.inventory.InventoryChanges;
import jakarta.annotation.security.PermitAll;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * One container of the fleet, reached from the containers grid: its state (followed live), the actions the caller may
 * take, and tabs for inspect, logs, top, diff, stats, events and a terminal. Each tab reads from the container's host
 * only while it is shown.
 */
@Route(value = "containers/:hostId/:containerId", layout = MainLayout.class)
@PageTitle("Container · Hawser")
@PermitAll
@StyleSheet("context://hawser/container-detail.css")
public class ContainerDetailView extends VerticalLayout implements BeforeEnterObserver {

    private final ContainerDetails details;
    private final FleetContainers fleet;
    private final ContainerTerminals terminals;
    private final Access access;
    private final InventoryChanges changes;
    private final H2 title = new H2();
    private final Span state = new Span();
    private final Span subtitle = new Span();
    private ContainerRef ref;

    public ContainerDetailView(ContainerDetails details, FleetContainers fleet, ContainerTerminals terminals,
                               Access access, InventoryChanges changes) {
        this.details = details;
        this.fleet = fleet;
        this.terminals = terminals;
        this.access = access;
        this.changes = changes;
        setSizeFull();
        state.setId("container-state");
        subtitle.addClassName("container-subtitle");
        LiveRefresh.whileAttached(this, changes, this::refreshState);
    }

    /** The route parameters for a container, for links from elsewhere. */
    public static RouteParameters route(ContainerRef ref) {
        return new RouteParameters(java.util.Map.of("hostId", ref.hostId().toString(), "containerId", ref.containerId()));
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        removeAll();
        Optional<FleetContainer> summary;
        try {
            ref = new ContainerRef(UUID.fromString(event.getRouteParameters().get("hostId").orElse("")),
                    event.getRouteParameters().get("containerId").orElse(""));
            summary = details.summary(ref);
        } catch (IllegalArgumentException | NotVisibleException e) {
            summary = Optional.empty();
        }
        if (summary.isEmpty()) {
            ref = null;
            Span missing = new Span("No such container (it may have been removed, or it is not yours to see).");
            missing.setId("container-missing");
            add(new H2("Container"), missing, new RouterLink("Back to containers", ContainersView.class));
            return;
        }
        show(summary.get());
        HorizontalLayout head = new HorizontalLayout(title, state);
        head.setAlignItems(FlexComponent.Alignment.BASELINE);
        add(new RouterLink("← Containers", ContainersView.class), head, subtitle);
        if (access.may(ref.hostId(), Permission.CONTAINER_CONTROL)) {
            add(actions());
        }
        TabSheet tabs = new TabSheet();
        tabs.setId("container-tabs");
        tabs.setWidthFull();
        tabs.add("Overview", new OverviewPanel(details, ref));
        tabs.add("Logs", new LogsPanel(details, ref, summary.get().name()));
        tabs.add("Top", new TopPanel(details, ref));
        tabs.add("Diff", new DiffPanel(details, ref));
        tabs.add("Stats", new StatsPanel(details, ref));
        tabs.add("Events", new EventsPanel(details, ref, changes));
        if (access.may(ref.hostId(), Permission.CONTAINER_EXEC)) {
            tabs.add("Terminal", new TerminalPanel(terminals, ref));
        }
        // Streams run for the selected tab only (its content stays attached after another tab is chosen).
        tabs.addSelectedChangeListener(e -> {
            if (e.getPreviousTab() != null && tabs.getComponent(e.getPreviousTab()) instanceof LiveTab previous) {
                previous.hidden();
            }
            if (e.getSelectedTab() != null && tabs.getComponent(e.getSelectedTab()) instanceof LiveTab selected) {
                selected.shown();
            }
        });
        addAndExpand(tabs);
    }

    private Component actions() {
        HorizontalLayout row = new HorizontalLayout();
        for (ContainerAction action : ContainerAction.values()) {
            String label = action.name().charAt(0) + action.name().substring(1).toLowerCase(Locale.ROOT);
            Button button = new Button(label, click -> confirm(action, label));
            button.setId("detail-" + action.name().toLowerCase(Locale.ROOT));
            if (action == ContainerAction.REMOVE || action == ContainerAction.KILL) {
                button.addThemeVariants(ButtonVariant.LUMO_ERROR);
            }
            row.add(button);
        }
        return row;
    }

    private void confirm(ContainerAction action, String label) {
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setId("confirm-detail-action");
        dialog.setHeader(label + " " + title.getText() + "?");
        dialog.setCancelable(true);
        dialog.setConfirmText(label);
        dialog.addConfirmListener(e -> {
            ActionResult result = fleet.perform(action, List.of(ref)).get(0);
            Notification n = Notification.show(label + ": " + result.message());
            n.addThemeVariants(result.ok() ? NotificationVariant.LUMO_SUCCESS : NotificationVariant.LUMO_ERROR);
            if (result.ok() && action == ContainerAction.REMOVE) {
                getUI().ifPresent(ui -> ui.navigate(ContainersView.class));
            } else {
                refreshState();
            }
        });
        dialog.open();
    }

    private void refreshState() {
        if (ref != null) {
            try {
                details.summary(ref).ifPresent(this::show);
            } catch (NotVisibleException gone) {
                state.setText("gone");
            }
        }
    }

    private void show(FleetContainer c) {
        title.setText(c.name());
        state.setText(c.state());
        state.setClassName("container-state container-state-" + switch (c.state()) {
            case "running" -> "running";
            case "exited", "dead" -> "stopped";
            default -> "other";
        });
        subtitle.setText(c.shortId() + " · " + c.image() + " · on " + c.hostName() + " · " + c.status());
    }
}
