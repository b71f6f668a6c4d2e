package io.hawser.console.audit.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.datetimepicker.DateTimePicker;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.server.StreamResource;
import io.hawser.console.access.Access;
import io.hawser.console.audit.AuditEntry;
import io.hawser.console.audit.AuditLog;
import io.hawser.console.audit.AuditSearch;
import io.hawser.console.audit.AuditTrail;
import io.hawser.console.common.ui.MainLayout;
import io.hawser.console.hosts.ui.HostsView;
import jakarta.annotation.security.PermitAll;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * The audit log for global administrators: search by actor, action, target text, result and time; a lazily paged
 * grid, newest first; CSV export of what the search finds. Every value is shown as text (never HTML), a line break
 * kept visible inside its cell, so a crafted name can neither inject markup nor pass for another entry.
 */
@Route(value = "admin/audit", layout = MainLayout.class)
@PageTitle("Audit · Hawser")
@PermitAll
public class AuditView extends VerticalLayout implements BeforeEnterObserver {

    private static final DateTimeFormatter AT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private final Access access;
    final TextField actor = new TextField("Actor");
    final TextField action = new TextField("Action");
    final TextField target = new TextField("Target or details");
    final ComboBox<AuditLog.Result> result = new ComboBox<>("Result");
    final DateTimePicker from = new DateTimePicker("From");
    final DateTimePicker to = new DateTimePicker("To");
    final Grid<AuditEntry> grid = new Grid<>();

    public AuditView(AuditTrail trail, Access access) {
        this.access = access;
        setSizeFull();
        add(new H2("Audit log"));
        actor.setId("audit-actor");
        action.setId("audit-action");
        target.setId("audit-target");
        result.setId("audit-result");
        result.setItems(AuditLog.Result.values());
        result.setItemLabelGenerator(AuditLog.Result::wire);
        result.setClearButtonVisible(true);
        from.setId("audit-from");
        to.setId("audit-to");
        for (TextField f : new TextField[] {actor, action, target}) {
            f.setValueChangeMode(ValueChangeMode.LAZY);
            f.setClearButtonVisible(true);
        }

        grid.setId("audit-grid");
        grid.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_WRAP_CELL_CONTENT);
        grid.addColumn(e -> AT.format(e.at())).setHeader("When").setAutoWidth(true).setFlexGrow(0);
        grid.addColumn(AuditEntry::actor).setHeader("Actor").setAutoWidth(true);
        grid.addColumn(AuditEntry::address).setHeader("Address").setAutoWidth(true);
        grid.addColumn(AuditEntry::action).setHeader("Action").setAutoWidth(true);
        grid.addColumn(AuditEntry::target).setHeader("Target").setClassNameGenerator(e -> "hawser-literal");
        grid.addColumn(AuditEntry::details).setHeader("Details").setFlexGrow(2).setClassNameGenerator(e -> "hawser-literal");
        grid.addColumn(AuditEntry::result).setHeader("Result").setAutoWidth(true).setFlexGrow(0);
        // Text columns: Grid sets textContent, never HTML; hawser.css keeps line breaks visible inside the cell.
        grid.setItems(query -> trail.search(search(), query.getOffset(), query.getLimit()).stream(), query -> trail.count(search()));

        Runnable refresh = () -> grid.getDataProvider().refreshAll();
        actor.addValueChangeListener(e -> refresh.run());
        action.addValueChangeListener(e -> refresh.run());
        target.addValueChangeListener(e -> refresh.run());
        result.addValueChangeListener(e -> refresh.run());
        from.addValueChangeListener(e -> refresh.run());
        to.addValueChangeListener(e -> refresh.run());

        Anchor csv = new Anchor(new StreamResource("hawser-audit.csv", () -> {
            StringWriter out = new StringWriter();
            trail.exportCsv(search(), out);
            return new ByteArrayInputStream(out.toString().getBytes(StandardCharsets.UTF_8));
        }), "");
        csv.getElement().setAttribute("download", true);
        csv.setId("audit-csv");
        csv.add(new Button("Export CSV"));
        Button reload = new Button("Refresh", click -> refresh.run());
        reload.setId("audit-refresh");

        HorizontalLayout filters = new HorizontalLayout(actor, action, target, result, from, to, reload, csv);
        filters.setDefaultVerticalComponentAlignment(FlexComponent.Alignment.BASELINE);
        filters.setWrap(true);
        add(filters);
        addAndExpand(grid);
    }

    AuditSearch search() {
        return new AuditSearch(actor.getValue(), action.getValue(), target.getValue(), result.getValue(),
                instant(from.getValue()), instant(to.getValue()));
    }

    private static Instant instant(LocalDateTime t) {
        return t == null ? null : t.atZone(ZoneId.systemDefault()).toInstant();
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        if (!access.isGlobalAdmin()) {
            event.rerouteTo(HostsView.class);
        }
    }
}
