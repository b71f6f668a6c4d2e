package io.hawser.console.users;

/**
 * A token just created: the only time its secret is seen. Callers send it as {@code Authorization: Bearer <secret>}.
 */
public record NewApiToken(ApiToken token, String secret) {
}
