package io.hawser.agent.container;

import java.nio.channels.SocketChannel;

/**
 * Someone attached to a container's stdio (the attach endpoint). Attaching before start is normal:
 * {@code docker run} attaches, then starts; such a client is connected to the shim's attach socket while
 * the init is still held before exec, so it misses no output.
 */
public interface AttachClient {

    /** Now connected to the shim's {@code attach.sock}; the client owns {@code shim} and relays until it closes. */
    void connected(SocketChannel shim);

    /** The container will not run for this client (start failed, container removed). */
    void cancelled(String reason);
}
