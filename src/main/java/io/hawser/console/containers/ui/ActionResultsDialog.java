package io.hawser.console.containers.ui;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Paragraph;
import io.hawser.console.containers.ActionResult;
import java.util.List;

/** What a bulk action did, container by container and host by host. */
class ActionResultsDialog extends Dialog {

    ActionResultsDialog(String action, List<ActionResult> results) {
        setId("action-results");
        long ok = results.stream().filter(ActionResult::ok).count();
        setHeaderTitle(action + ": " + ok + " of " + results.size() + " done");
        Paragraph summary = new Paragraph(results.size() - ok == 0 ? "Every container succeeded."
                : (results.size() - ok) + " failed; see the message per container.");
        Grid<ActionResult> grid = new Grid<>();
        grid.setId("action-results-grid");
        grid.addColumn(r -> r.hostName() == null ? r.hostId().toString() : r.hostName()).setHeader("Host")
                .setAutoWidth(true);
        grid.addColumn(r -> r.containerName() == null ? r.containerId() : r.containerName()).setHeader("Container")
                .setAutoWidth(true);
        grid.addColumn(r -> r.ok() ? "ok" : "failed").setHeader("Result").setAutoWidth(true);
        grid.addColumn(ActionResult::message).setHeader("Message").setFlexGrow(1);
        grid.setItems(results);
        grid.setAllRowsVisible(true);
        grid.setWidth("48rem");
        add(summary, grid);
        Button close = new Button("Close", click -> close());
        close.setId("close-action-results");
        getFooter().add(close);
    }
}
