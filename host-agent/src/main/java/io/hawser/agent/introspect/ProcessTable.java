package io.hawser.agent.introspect;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code docker top} shows: the column titles of {@code ps} and the rows of the container's processes.
 *
 * @param titles    the words of ps's header line
 * @param processes one row per process, as many cells as titles (the last one holds the rest of the line)
 */
public record ProcessTable(List<String> titles, List<List<String>> processes) {

    public ProcessTable {
        titles = List.copyOf(titles);
        List<List<String>> rows = new ArrayList<>(processes.size());
        for (List<String> row : processes) {
            rows.add(List.copyOf(row));
        }
        processes = List.copyOf(rows);
    }
}
