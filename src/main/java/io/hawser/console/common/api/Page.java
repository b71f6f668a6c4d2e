package io.hawser.console.common.api;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/** One page of a REST list: the items, how many match in all, and the offset and limit the page was cut with. */
@Schema(description = "One page of a list: items, how many match in all (total), and the offset and limit used")
public record Page<T>(List<T> items, long total, int offset, int limit) {

    public Page {
        items = List.copyOf(items);
    }
}
