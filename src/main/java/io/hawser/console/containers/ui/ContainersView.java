package io.hawser.console.containers.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import com.vaadin.flow.data.provider.QuerySortOrder;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.hawser.console.common.ui.LiveRefresh;
import io.hawser.console.common.ui.MainLayout;
import io.hawser.console.containers.ContainerAction;
import io.hawser.console.containers.ContainerFilter;
import io.hawser.console.containers.ContainerRunner;
import io.hawser.console.containers.ContainerSort;
import io.hawser.console.containers.FleetContainer;
import io.hawser.console.containers.FleetContainers;
import io.hawser.console.hosts.Host;
import io.hawser.console.hosts.HostService;
import io.hawser.console.inventory.InventoryChanges;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Every container on every host the signed-in user may see, in one lazily loaded grid: filters, search, sort, bulk
 * actions. It follows the inventory live: while shown, it refreshes (by server push) when the inventory changes.
 */
@Route(value = "containers", layout = MainLayout.class)
@PageTitle("Containers · Hawser")
@PermitAll
public class ContainersView extends VerticalLayout {

    static final List<String> STATES = List.of("created", "running", "paused", "restarting", "removing", "exited", "dead");
    private static final DateTimeFormatter CREATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final FleetContainers containers;
    private final Grid<FleetContainer> grid = new Grid<>();
    private final List<Button> actionButtons = new ArrayList<>();
    private ContainerFilter filter = ContainerFilter.NONE;

    public ContainersView(FleetContainers containers, HostService hosts, InventoryChanges changes, ContainerRunner runner) {
        this.containers = containers;
        setSizeFull();
        // Hosts the caller may start, stop, run or remove containers on (access decides): none, no action buttons.
        boolean mayControl = !runner.hostsToRunOn().isEmpty();
        HorizontalLayout actions = mayControl ? actions() : new HorizontalLayout();
        if (mayControl) {
            Button run = new Button("Run container", VaadinIcon.PLAY.create(), click -> new RunContainerDialog(runner).open());
            run.setId("run-container");
            run.addThemeVariants(com.vaadin.flow.component.button.ButtonVariant.LUMO_PRIMARY);
            actions.add(run);
        }
        add(new H2("Containers"), filters(hosts.visibleHosts()), actions);
        configureGrid();
        addAndExpand(grid);
        LiveRefresh.whileAttached(this, changes, () -> grid.getDataProvider().refreshAll());
    }

    private HorizontalLayout filters(List<Host> visibleHosts) {
        ComboBox<Host> host = new ComboBox<>("Host", visibleHosts);
        host.setId("filter-host");
        host.setItemLabelGenerator(Host::name);
        host.setClearButtonVisible(true);
        host.addValueChangeListener(e -> refilter(f -> f.withHost(e.getValue() == null ? null : e.getValue().id())));
        Select<String> state = new Select<>();
        state.setId("filter-state");
        state.setLabel("State");
        state.setItems(STATES);
        state.setEmptySelectionAllowed(true);
        state.setEmptySelectionCaption("any");
        state.addValueChangeListener(e -> refilter(f -> f.withState(e.getValue())));
        TextField image = text("Image", "filter-image", v -> f -> f.withImage(v));
        TextField name = text("Name", "filter-name", v -> f -> f.withName(v));
        TextField label = text("Label", "filter-label", v -> f -> f.withLabel(v));
        label.setPlaceholder("key or key=value");
        TextField search = text("Search", "search", v -> f -> f.withSearch(v));
        search.setPrefixComponent(VaadinIcon.SEARCH.create());
        search.setPlaceholder("name, image, command, labels");
        HorizontalLayout row = new HorizontalLayout(host, state, image, name, label, search);
        row.setAlignItems(FlexComponent.Alignment.BASELINE);
        row.setWrap(true);
        return row;
    }

    private TextField text(String caption, String id,
                           java.util.function.Function<String, UnaryOperator<ContainerFilter>> change) {
        TextField field = new TextField(caption);
        field.setId(id);
        field.setClearButtonVisible(true);
        field.setValueChangeMode(ValueChangeMode.LAZY);
        field.addValueChangeListener(e -> refilter(change.apply(e.getValue())));
        return field;
    }

    private HorizontalLayout actions() {
        HorizontalLayout row = new HorizontalLayout();
        for (ContainerAction action : ContainerAction.values()) {
            String label = action.name().charAt(0) + action.name().substring(1).toLowerCase(Locale.ROOT);
            Button button = new Button(label, click -> confirm(action, label));
            button.setId("action-" + action.name().toLowerCase(Locale.ROOT));
            button.setEnabled(false);
            actionButtons.add(button);
            row.add(button);
        }
        return row;
    }

    private void configureGrid() {
        grid.setId("containers-grid");
        grid.setSelectionMode(Grid.SelectionMode.MULTI);
        grid.addColumn(FleetContainer::hostName).setHeader("Host").setKey(ContainerSort.HOST.name()).setSortable(true);
        // The name opens the container's detail view (ContainerDetailView); lit escapes the name.
        grid.addColumn(LitRenderer.<FleetContainer>of("<a router-link href=\"${item.href}\">${item.name}</a>")
                        .withProperty("name", FleetContainer::name)
                        .withProperty("href", c -> "containers/" + c.hostId() + "/" + c.id()))
                .setHeader("Name").setKey(ContainerSort.NAME.name()).setSortable(true);
        grid.addColumn(FleetContainer::image).setHeader("Image").setKey(ContainerSort.IMAGE.name()).setSortable(true);
        grid.addColumn(FleetContainer::state).setHeader("State").setKey(ContainerSort.STATE.name()).setSortable(true);
        grid.addColumn(FleetContainer::status).setHeader("Status").setKey(ContainerSort.STATUS.name()).setSortable(true);
        grid.addColumn(c -> c.created() == null ? "" : CREATED.format(c.created()))
                .setHeader("Created").setKey(ContainerSort.CREATED.name()).setSortable(true);
        grid.addColumn(c -> c.cpuPercent() == null ? "" : String.format(Locale.ROOT, "%.1f %%", c.cpuPercent()))
                .setHeader("CPU").setKey(ContainerSort.CPU.name()).setSortable(true);
        grid.addColumn(c -> Sizes.memory(c.memoryUsage(), c.memoryLimit()))
                .setHeader("Memory").setKey(ContainerSort.MEMORY.name()).setSortable(true);
        // Items are records, equal by value: a row refreshed with new stats would no longer count as selected. The
        // data provider identifies rows by host and container id instead.
        grid.setItems(new CallbackDataProvider<FleetContainer, Void>(
                query -> containers.list(filter, sortOf(query.getSortOrders()), query.getOffset(), query.getLimit()).stream(),
                query -> containers.count(filter), FleetContainer::ref));
        grid.addSelectionListener(e -> actionButtons.forEach(b -> b.setEnabled(!e.getAllSelectedItems().isEmpty())));
    }

    private static List<ContainerSort.Order> sortOf(List<QuerySortOrder> orders) {
        List<ContainerSort.Order> sort = new ArrayList<>();
        for (var o : orders) {
            sort.add(new ContainerSort.Order(ContainerSort.valueOf(o.getSorted()), o.getDirection() == SortDirection.ASCENDING));
        }
        return sort;
    }

    private void refilter(UnaryOperator<ContainerFilter> change) {
        filter = change.apply(filter);
        grid.getDataProvider().refreshAll();
    }

    private void confirm(ContainerAction action, String label) {
        List<FleetContainer> selected = new ArrayList<>(grid.getSelectedItems());
        ConfirmDialog dialog = new ConfirmDialog();
        dialog.setId("confirm-action");
        dialog.setHeader(label + " " + selected.size() + (selected.size() == 1 ? " container?" : " containers?"));
        dialog.setText(String.join(", ", selected.stream().map(c -> c.hostName() + "/" + c.name()).limit(20).toList())
                + (selected.size() > 20 ? ", …" : ""));
        dialog.setCancelable(true);
        dialog.setConfirmText(label);
        dialog.addConfirmListener(e -> {
            var results = containers.perform(action, selected.stream().map(FleetContainer::ref).toList());
            new ActionResultsDialog(label, results).open();
            grid.getDataProvider().refreshAll();
        });
        dialog.open();
    }
}
