package io.hawser.console.containers;

import java.util.UUID;

/**
 * What the fleet list is narrowed to; every part is optional (null or blank: no restriction). {@code image} and
 * {@code name} match case-insensitively anywhere in the value; {@code label} is a key, or {@code key=value}; {@code
 * search} looks in name, image, command and labels.
 */
public record ContainerFilter(UUID hostId, String state, String image, String name, String label, String search) {

    public static final ContainerFilter NONE = new ContainerFilter(null, null, null, null, null, null);

    public ContainerFilter withHost(UUID host) {
        return new ContainerFilter(host, state, image, name, label, search);
    }

    public ContainerFilter withState(String s) {
        return new ContainerFilter(hostId, s, image, name, label, search);
    }

    public ContainerFilter withImage(String i) {
        return new ContainerFilter(hostId, state, i, name, label, search);
    }

    public ContainerFilter withName(String n) {
        return new ContainerFilter(hostId, state, image, n, label, search);
    }

    public ContainerFilter withLabel(String l) {
        return new ContainerFilter(hostId, state, image, name, l, search);
    }

    public ContainerFilter withSearch(String q) {
        return new ContainerFilter(hostId, state, image, name, label, q);
    }
}
