package io.hawser.console.users;

/**
 * Published (after commit) when a user's sign-in sessions must end: the user was disabled or their password reset.
 * io.hawser.console.security ends them.
 */
public record UserSessionsEnd(String username, String reason) {
}
