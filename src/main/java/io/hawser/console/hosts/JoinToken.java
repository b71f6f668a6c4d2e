package io.hawser.console.hosts;

import java.time.Instant;

/**
 * A join token as its creator sees it, once: the token itself is never stored and cannot be shown again.
 *
 * @param token what the agent is started with ({@code --join-token})
 */
public record JoinToken(String token, Instant expiresAt, int maxUses) {

    /** Whether a stored token may enroll one more host at {@code now}. */
    public enum Verdict {
        VALID, EXPIRED, USED_UP;

        public static Verdict of(Instant expiresAt, int maxUses, int uses, Instant now) {
            if (!now.isBefore(expiresAt)) {
                return EXPIRED;
            }
            return uses >= maxUses ? USED_UP : VALID;
        }
    }
}
