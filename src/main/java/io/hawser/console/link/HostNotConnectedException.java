package io.hawser.console.link;

import java.util.UUID;

/** The host has no link to this console replica right now (offline, or linked to another replica). */
public class HostNotConnectedException extends RuntimeException {

    public HostNotConnectedException(UUID hostId) {
        super("host " + hostId + " is not connected");
    }
}
