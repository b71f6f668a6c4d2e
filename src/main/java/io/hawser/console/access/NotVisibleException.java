package io.hawser.console.access;

/**
 * The object does not exist, or the caller may not see it: the two are answered alike (404) so that the existence
 * of another team's host or container is not the caller's to learn.
 */
public class NotVisibleException extends RuntimeException {

    public NotVisibleException(String message) {
        super(message);
    }
}
