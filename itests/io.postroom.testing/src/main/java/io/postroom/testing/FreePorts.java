package io.postroom.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Free TCP ports on the loopback interface, for servers that must be told their port up front
 * (Dovecot, Karaf). Servers that can bind port 0 themselves should do that instead: a port found
 * here is free when returned, and another process may still take it before it is used.
 */
public final class FreePorts {

    /** The loopback address every fixture listens on. */
    public static final String LOOPBACK = "127.0.0.1";

    private FreePorts() {
    }

    /** One free port on 127.0.0.1. */
    public static int find() {
        return find(1)[0];
    }

    /**
     * {@code count} distinct free ports on 127.0.0.1 (all bound at once while searching, so they
     * differ from each other).
     */
    public static int[] find(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be at least 1, was " + count);
        }
        List<ServerSocket> sockets = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket();
                sockets.add(socket);
                // no SO_REUSEADDR: a port still in TIME_WAIT is not offered
                socket.setReuseAddress(false);
                socket.bind(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0));
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on " + LOOPBACK, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a bound, unconnected socket does not fail in practice
                }
            }
        }
    }
}
