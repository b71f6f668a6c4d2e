package io.hawser.console.containers.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import io.hawser.console.containers.ContainerDetails;
import io.hawser.console.containers.ContainerRef;
import java.util.ArrayList;
import java.util.List;

/** Changes to the container's filesystem, as {@code docker diff} prints them: A added, C changed, D deleted. */
class DiffPanel extends VerticalLayout {

    record Change(String kind, String path) {
    }

    private final ContainerDetails details;
    private final ContainerRef ref;
    private final Grid<Change> grid = new Grid<>();

    DiffPanel(ContainerDetails details, ContainerRef ref) {
        this.details = details;
        this.ref = ref;
        setPadding(false);
        grid.setId("diff-grid");
        grid.addColumn(Change::kind).setHeader("Kind").setAutoWidth(true).setFlexGrow(0).setSortable(true);
        grid.addColumn(Change::path).setHeader("Path").setSortable(true);
        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> load());
        refresh.setId("diff-refresh");
        add(refresh, grid);
        addAttachListener(e -> load());
    }

    private void load() {
        getChildren().filter(c -> c.hasClassName("problem")).toList().forEach(this::remove);
        List<Change> changes = new ArrayList<>();
        try {
            for (JsonNode c : details.diff(ref)) {
                int kind = c.path("Kind").asInt();
                changes.add(new Change(kind >= 0 && kind < 3 ? String.valueOf("CAD".charAt(kind)) : "?", c.path("Path").asText()));
            }
        } catch (RuntimeException e) {
            add(Problems.text(e));
        }
        grid.setItems(changes);
    }
}
