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

/** The container's processes, as {@code docker top} lists them. */
class TopPanel extends VerticalLayout {

    private final ContainerDetails details;
    private final ContainerRef ref;
    private final Grid<List<String>> grid = new Grid<>();

    TopPanel(ContainerDetails details, ContainerRef ref) {
        this.details = details;
        this.ref = ref;
        setPadding(false);
        grid.setId("top-grid");
        grid.setAllRowsVisible(true);
        Button refresh = new Button("Refresh", VaadinIcon.REFRESH.create(), e -> load());
        refresh.setId("top-refresh");
        add(refresh, grid);
        addAttachListener(e -> load());
    }

    private void load() {
        getChildren().filter(c -> c.hasClassName("problem")).toList().forEach(this::remove);
        JsonNode top;
        try {
            top = details.top(ref, null);
        } catch (RuntimeException e) {
            grid.setItems(List.of());
            add(Problems.text(e));
            return;
        }
        grid.removeAllColumns();
        int i = 0;
        for (JsonNode title : top.path("Titles")) {
            int column = i++;
            grid.addColumn(row -> column < row.size() ? row.get(column) : "").setHeader(title.asText()).setAutoWidth(true)
                    .setSortable(true);
        }
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode process : top.path("Processes")) {
            List<String> row = new ArrayList<>();
            process.forEach(f -> row.add(f.asText()));
            rows.add(row);
        }
        grid.setItems(rows);
    }
}
