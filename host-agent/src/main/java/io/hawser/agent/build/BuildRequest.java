package io.hawser.agent.build;

import io.hawser.agent.image.ImageReference;
import java.util.List;
import java.util.Map;

/**
 * The query of {@code POST /build} the classic builder acts on.
 *
 * @param buildArgs {@code --build-arg}; a null value means "declared, no value" (the ARG default applies)
 * @param labels {@code --label}, added to the final stage as a LABEL step, as dockerd does
 * @param networkMode the RUN containers' network ("default", "none", "host")
 */
public record BuildRequest(List<ImageReference> tags, String dockerfile, Map<String, String> buildArgs, boolean noCache,
                           boolean rm, boolean forceRm, Map<String, String> labels, boolean quiet, String target,
                           String networkMode) {
    public BuildRequest {
        tags = List.copyOf(tags);
        buildArgs = buildArgs == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(buildArgs));
        labels = labels == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(labels));
    }
}
