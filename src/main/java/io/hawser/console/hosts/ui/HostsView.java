package io.hawser.console.hosts.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Code;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.component.confirmdialog.ConfirmDialog;
import io.hawser.console.access.Access;
import io.hawser.console.access.Permission;
import io.hawser.console.common.ui.Attempt;
import io.hawser.console.teams.Team;
import io.hawser.console.teams.TeamService;
import io.hawser.console.common.ui.LiveRefresh;
import io.hawser.console.common.ui.MainLayout;
import io.hawser.console.inventory.InventoryChanges;
import io.hawser.console.hosts.Host;
import io.hawser.console.hosts.HostService;
import jakarta.annotation.security.PermitAll;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** The fleet's hosts; with none yet, how to add one. */
@Route(value = "hosts", layout = MainLayout.class)
@RouteAlias(value = "", layout = MainLayout.class)
@PageTitle("Hosts · Hawser")
@PermitAll
public class HostsView extends VerticalLayout {

    private static final DateTimeFormatter SEEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final HostService hosts;
    /** A global administrator renames, labels and removes hosts (HostService refuses anyone else regardless). */
    private final boolean admin;
    private final Div content = new Div();
    private Grid<Host> grid;

    public HostsView(HostService hosts, Access access, TeamService teams, InventoryChanges changes) {
        this.hosts = hosts;
        this.admin = access.isGlobalAdmin();
        setSizeFull();
        HorizontalLayout header = new HorizontalLayout(new H2("Hosts"));
        header.setAlignItems(Alignment.BASELINE);
        List<Team> enrollInto = admin ? teams.visibleTeams() : teams.teamsWhereCallerMay(Permission.HOST_ENROLL);
        if (admin || !enrollInto.isEmpty()) {
            Button add = new Button("Add host", VaadinIcon.PLUS.create(),
                    click -> new AddHostDialog(hosts, enrollInto, admin).open());
            add.setId("add-host");
            add.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
            header.add(add);
        }
        content.setSizeFull();
        add(header);
        addAndExpand(content);
        refresh();
        LiveRefresh.whileAttached(this, changes, this::refresh);
    }

    /** The grid while there are hosts, otherwise how to add one; live: status, facts and counts change as they come. */
    private void refresh() {
        List<Host> visible = hosts.visibleHosts();
        if (visible.isEmpty()) {
            grid = null;
            content.removeAll();
            content.add(emptyState());
        } else if (grid == null) {
            grid = grid(visible);
            content.removeAll();
            content.add(grid);
        } else {
            grid.setItems(visible);
        }
    }

    private Grid<Host> grid(List<Host> hosts) {
        Grid<Host> grid = new Grid<>();
        grid.setId("hosts-grid");
        grid.setHeightFull();
        grid.addColumn(Host::name).setHeader("Name").setSortable(true);
        grid.addColumn(host -> host.status().name().toLowerCase()).setHeader("Status").setSortable(true);
        grid.addColumn(host -> host.teams().isEmpty() ? "—" : String.join(", ", host.teams())).setHeader("Teams");
        grid.addColumn(host -> or(host.hostname())).setHeader("Hostname");
        grid.addColumn(host -> or(host.agentVersion())).setHeader("Agent");
        grid.addColumn(host -> or(host.kernelVersion())).setHeader("Kernel");
        grid.addColumn(host -> host.cgroupVersion() == null ? "—" : "v" + host.cgroupVersion()).setHeader("cgroup");
        grid.addColumn(host -> host.cpus() == null ? "—" : host.cpus().toString()).setHeader("CPUs");
        grid.addColumn(host -> host.memoryBytes() == null ? "—" : gib(host.memoryBytes())).setHeader("Memory");
        grid.addColumn(host -> host.runningContainers() + " / " + host.totalContainers()).setHeader("Running / total");
        grid.addColumn(host -> host.cpuPercent() == null ? "—" : String.format(Locale.ROOT, "%.1f %%", host.cpuPercent()))
                .setHeader("CPU now");
        grid.addColumn(host -> host.memoryUsage() == null ? "—" : gib(host.memoryUsage())).setHeader("Memory now");
        grid.addColumn(host -> host.lastSeen() == null ? "never" : SEEN.format(host.lastSeen())).setHeader("Last seen");
        grid.addColumn(host -> host.labels().isEmpty() ? "—" : host.labels().entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(", "))).setHeader("Labels");
        if (admin) {
            grid.addComponentColumn(this::actions).setHeader("Actions").setFlexGrow(0).setFrozenToEnd(true);
        }
        grid.getColumns().forEach(c -> c.setAutoWidth(true));
        grid.setItems(hosts);
        return grid;
    }

    private HorizontalLayout actions(Host host) {
        Button rename = new Button(VaadinIcon.EDIT.create(), click -> new HostEditDialog(hosts, host, this::refresh).open());
        rename.setAriaLabel("Rename or label " + host.name());
        rename.setTooltipText("Rename, labels");
        rename.setId("edit-host-" + host.name());
        Button remove = new Button(VaadinIcon.TRASH.create(), click -> confirmRemove(host));
        remove.setAriaLabel("Remove " + host.name());
        remove.setTooltipText("Remove");
        remove.setId("remove-host-" + host.name());
        remove.addThemeVariants(ButtonVariant.LUMO_ERROR);
        for (Button b : List.of(rename, remove)) {
            b.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
        }
        return new HorizontalLayout(rename, remove);
    }

    private void confirmRemove(Host host) {
        ConfirmDialog confirm = new ConfirmDialog();
        confirm.setHeader("Remove host " + host.name() + "?");
        confirm.setText("Its inventory and events are deleted and its agent's credential stops working; its containers "
                + "keep running on the machine. To bring it back, enroll it again with a new join token.");
        confirm.setCancelable(true);
        confirm.setConfirmText("Remove");
        confirm.setConfirmButtonTheme("error primary");
        confirm.addConfirmListener(e -> {
            if (Attempt.run(() -> hosts.remove(host.id()))) {
                Attempt.done("Removed " + host.name());
                refresh();
            }
        });
        confirm.open();
    }

    private static String or(String value) {
        return value == null || value.isBlank() ? "—" : value;
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }

    private static Div emptyState() {
        Div empty = new Div();
        empty.setId("hosts-empty");
        empty.addClassName("empty-state");
        empty.add(new H3("No hosts yet"),
                new Paragraph("A host appears here once its Hawser agent runs and joins this console. "
                        + "To add a host, install Java 17 on it and start the agent as root:"),
                new Code("java -jar hawser-agent.jar --data-root /var/lib/hawser --socket /run/hawser/hawser.sock"),
                new Paragraph("The docker CLI then works against it with docker -H unix:///run/hawser/hawser.sock. "
                        + "To join it to this console, an admin uses Add host for a join token and the command to run."));
        return empty;
    }
}
