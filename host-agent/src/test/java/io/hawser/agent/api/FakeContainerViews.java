package io.hawser.agent.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** ContainerViews over a map the test fills: find by full id, unique id prefix or name (with or without '/'). */
final class FakeContainerViews implements ContainerViews {

    private final Map<String, ContainerView> byId = new ConcurrentHashMap<>();

    void put(ContainerView view) {
        byId.put(view.id(), view);
    }

    void remove(String id) {
        byId.remove(id);
    }

    @Override
    public Optional<ContainerView> find(String idOrName) {
        String name = idOrName.startsWith("/") ? idOrName.substring(1) : idOrName;
        ContainerView exact = byId.get(idOrName);
        if (exact != null) {
            return Optional.of(exact);
        }
        for (ContainerView v : byId.values()) {
            if (v.name().equals(name)) {
                return Optional.of(v);
            }
        }
        List<ContainerView> prefixed = byId.values().stream().filter(v -> v.id().startsWith(idOrName)).toList();
        return prefixed.size() == 1 ? Optional.of(prefixed.get(0)) : Optional.empty();
    }

    @Override
    public Counts counts() {
        int running = (int) byId.values().stream().filter(ContainerView::running).count();
        return new Counts(byId.size(), running, 0, byId.size() - running);
    }
}
