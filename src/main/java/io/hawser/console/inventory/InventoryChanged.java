package io.hawser.console.inventory;

import java.util.UUID;

/**
 * Published by {@link InventoryStore} after it changed what the fleet's views show (containers, images, host facts or
 * status) for one host. Views do not listen to it directly: {@link InventoryChanges} delivers it after the commit,
 * throttled.
 */
public record InventoryChanged(UUID hostId) {
}
