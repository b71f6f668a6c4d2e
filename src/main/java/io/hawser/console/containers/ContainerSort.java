package io.hawser.console.containers;

/** Columns the fleet list sorts by; each maps to one SQL expression, so no caller text reaches the query. */
public enum ContainerSort {
    HOST("h.name"), NAME("c.name"), IMAGE("c.image"), STATE("c.state"), STATUS("c.status"), CREATED("c.created"),
    CPU("c.cpu_percent"), MEMORY("c.memory_usage");

    final String column;

    ContainerSort(String column) {
        this.column = column;
    }

    /** A sort key with its direction. */
    public record Order(ContainerSort by, boolean ascending) {
    }
}
