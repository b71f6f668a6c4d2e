package io.hawser.console.hosts;

import java.util.UUID;

/**
 * What an enrolled agent receives, once: its host id and credential. It then authenticates its link with
 * {@code Authorization: Bearer <hostId>.<credential>}.
 */
public record Enrollment(UUID hostId, String name, String credential) {

    public String bearer() {
        return hostId + "." + credential;
    }
}
