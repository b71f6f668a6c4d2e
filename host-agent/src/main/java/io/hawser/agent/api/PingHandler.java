package io.hawser.agent.api;

import java.io.IOException;

/**
 * {@code GET|HEAD /_ping}: the docker CLI's first call, which it also uses to learn the server's API
 * version (the Api-Version header) and negotiate down to it. Headers as dockerd sends them.
 */
final class PingHandler implements Endpoint {

    @Override
    public void handle(ApiCall call) throws IOException {
        call.exchange().responseHeaders()
                .set("Cache-Control", "no-cache, no-store, must-revalidate")
                .set("Pragma", "no-cache");
        if (call.request().isHead()) {
            // dockerd answers HEAD with Content-Length: 0 rather than the length GET would have.
            call.exchange().send(200, "text/plain; charset=utf-8", new byte[0]);
        } else {
            call.exchange().sendText(200, "OK");
        }
    }
}
