package io.hawser.console.hosts;

import java.util.UUID;

/** Published when a host is removed (after commit); the link registry closes its link. */
public record HostRemovedEvent(UUID hostId) {}
