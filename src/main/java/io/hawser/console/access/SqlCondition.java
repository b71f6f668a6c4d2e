package io.hawser.console.access;

import java.util.Map;

/** A boolean SQL expression with its named parameters, to AND into a query's WHERE. */
public record SqlCondition(String sql, Map<String, Object> params) {
}
