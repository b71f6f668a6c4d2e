package io.hawser.agent.api;

import java.io.IOException;

/** One Docker Engine API endpoint; see {@link EngineApi} for how calls reach it and errors leave it. */
@FunctionalInterface
public interface Endpoint {
    void handle(ApiCall call) throws IOException;
}
