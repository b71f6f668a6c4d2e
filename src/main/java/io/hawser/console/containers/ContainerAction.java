package io.hawser.console.containers;

/**
 * What may be done to a container from the fleet list, as the Engine API request that does it.
 *
 * @see <a href="https://docs.docker.com/reference/api/engine/version/v1.47/#tag/Container">Engine API: Container</a>
 */
public enum ContainerAction {
    START("POST", "/start"), STOP("POST", "/stop"), RESTART("POST", "/restart"), KILL("POST", "/kill"),
    /** Without {@code force}: a running container is refused by its agent, as {@code docker rm} would be. */
    REMOVE("DELETE", "");

    final String method;
    private final String suffix;

    ContainerAction(String method, String suffix) {
        this.method = method;
        this.suffix = suffix;
    }

    String path(String containerId) {
        return "/containers/" + containerId + suffix;
    }

    /** As the audit log and the UI name it: {@code container.stop}. */
    public String auditName() {
        return "container." + name().toLowerCase(java.util.Locale.ROOT);
    }
}
