package io.hawser.agent.api;

import io.hawser.agent.common.BuildInfo;
import io.hawser.agent.sys.HostInfo;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /version}: what {@code docker version} prints in its Server section. */
final class VersionHandler implements Endpoint {

    private final VersionResponse response;

    VersionHandler(BuildInfo build, HostInfo host) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("ApiVersion", ApiVersion.MAX.toString());
        details.put("Arch", host.arch());
        details.put("BuildTime", build.buildTime());
        details.put("Experimental", "false");
        if (!build.gitCommit().isEmpty()) {
            details.put("GitCommit", build.gitCommit());
        }
        // Not a dockerd field; the CLI ignores unknown details, and it is the runtime's truthful version.
        details.put("JavaVersion", Runtime.version().toString());
        details.put("KernelVersion", host.kernelVersion());
        details.put("MinAPIVersion", ApiVersion.MIN.toString());
        details.put("Os", host.os());
        this.response = new VersionResponse(
                new VersionResponse.Platform("Hawser"),
                List.of(new VersionResponse.Component("Engine", build.version(), Collections.unmodifiableMap(details))),
                build.version(),
                ApiVersion.MAX.toString(),
                ApiVersion.MIN.toString(),
                build.gitCommit(),
                host.os(),
                host.arch(),
                host.kernelVersion(),
                build.buildTime());
    }

    @Override
    public void handle(ApiCall call) throws IOException {
        call.exchange().sendJson(200, response);
    }

    VersionResponse response() {
        return response;
    }
}
