package io.hawser.agent.network;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * A published port: the agent listens on the host address and port and relays to the container's address,
 * as dockerd's docker-proxy does (dockerd adds DNAT rules in front; this agent has only the proxy, so the
 * container sees connections coming from the gateway address).
 */
interface PortProxy extends AutoCloseable {

    /** The host port actually bound (the kernel's choice when 0 was asked for). */
    int port();

    @Override
    void close();

    /** Binds now: a port in use fails here, before the container starts. */
    static PortProxy open(PortMapping m, String containerIp) throws IOException {
        InetSocketAddress listen = new InetSocketAddress(m.hostIp(), m.hostPort());
        InetSocketAddress target = new InetSocketAddress(containerIp, m.containerPort());
        return m.proto().equals("udp") ? UdpProxy.open(listen, target) : TcpProxy.open(listen, target);
    }

    /** Waits (bounded) for a proxy's own thread to end; never from that thread. */
    static void join(Thread t) {
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
