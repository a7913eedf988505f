package io.postroom.testing.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.postroom.testing.FreePorts;

/**
 * A TCP proxy on 127.0.0.1 in front of any server, for network faults in tests and benchmarks:
 * <ul>
 * <li>added latency per direction ({@link #latency}, {@link #roundTrip}): every chunk is held in
 *     a delay queue until due, so many chunks are in flight at once and throughput is not
 *     limited to one chunk per delay (a 20 ms round trip behaves like a distant server, not like
 *     a slow one);</li>
 * <li>{@link #dropAll()} cuts every open connection now;</li>
 * <li>{@link #cutAfterServerBytes}/{@link #cutOnceAfterServerBytes} cut a connection once the
 *     server has sent N more bytes through it (a connection dropped in the middle of a FETCH);</li>
 * <li>{@link #stall(boolean)} keeps connections (and accepts new ones) but forwards nothing;</li>
 * <li>{@link #refuseConnections(boolean)} stops listening, so connecting is refused, and listens
 *     again on the same port;</li>
 * <li>counts bytes each way and connections.</li>
 * </ul>
 * Cuts reset the connection (RST, as a middlebox or crash does) unless {@link #cutWithFin(boolean)}.
 * Thread-safe; {@link #close()} ends everything. Independent of JUnit.
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(dovecot.imapPort()).roundTrip(Duration.ofMillis(20))) {
 *     connect to proxy.host():proxy.port() ...
 *     proxy.cutOnceAfterServerBytes(100_000);  // then FETCH: the connection drops mid-literal
 * }
 * }</pre>
 */
public final class FaultProxy implements AutoCloseable {

    private static final int CHUNK = 32 * 1024;
    private static final int QUEUE_CHUNKS = 512;
    private static final long UNLIMITED = Long.MAX_VALUE;

    private final String targetHost;
    private final int targetPort;
    private final int port;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesFromClient = new AtomicLong();
    private final AtomicLong bytesFromServer = new AtomicLong();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger cuts = new AtomicInteger();
    private final Object stallLock = new Object();
    private volatile long clientToServerDelayNanos;
    private volatile long serverToClientDelayNanos;
    private volatile boolean stalled;
    private volatile boolean resetOnCut = true;
    private volatile long serverByteBudget = UNLIMITED;
    private volatile boolean cutOnce;
    private volatile boolean closed;
    private ServerSocket listener;
    private Thread acceptor;

    private FaultProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = Objects.requireNonNull(targetHost, "targetHost");
        this.targetPort = targetPort;
        ServerSocket socket = bind(0);
        this.port = socket.getLocalPort();
        startAccepting(socket);
    }

    /** A proxy on a free 127.0.0.1 port in front of 127.0.0.1:{@code targetPort}. */
    public static FaultProxy start(int targetPort) {
        return start(FreePorts.LOOPBACK, targetPort);
    }

    /** A proxy on a free 127.0.0.1 port in front of {@code targetHost:targetPort}. */
    public static FaultProxy start(String targetHost, int targetPort) {
        try {
            return new FaultProxy(targetHost, targetPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + FreePorts.LOOPBACK, e);
        }
    }

    public String host() {
        return FreePorts.LOOPBACK;
    }

    /** The port clients connect to (stays the same across {@link #refuseConnections}). */
    public int port() {
        return port;
    }

    // ------------------------------------------------------------------ latency

    /** Adds latency to each direction (applies to data read from now on). */
    public FaultProxy latency(Duration clientToServer, Duration serverToClient) {
        clientToServerDelayNanos = nonNegative(clientToServer).toNanos();
        serverToClientDelayNanos = nonNegative(serverToClient).toNanos();
        return this;
    }

    /** Adds {@code roundTrip / 2} each way: {@code roundTrip(Duration.ofMillis(20))} for a 20 ms round trip. */
    public FaultProxy roundTrip(Duration roundTrip) {
        Duration half = nonNegative(roundTrip).dividedBy(2);
        return latency(half, half);
    }

    // ------------------------------------------------------------------ faults

    /** Cuts every open connection now (both sides). New connections are still accepted. */
    public void dropAll() {
        for (Connection connection : connections) {
            connection.cut();
        }
    }

    /**
     * Cuts each connection (open now or opened later) once the server has sent {@code bytes} more
     * bytes through it; the client receives exactly those bytes first. Stays armed until
     * {@link #heal()}.
     */
    public void cutAfterServerBytes(long bytes) {
        armCut(bytes, false);
    }

    /** Like {@link #cutAfterServerBytes} but disarms itself after the first cut (reconnecting then works). */
    public void cutOnceAfterServerBytes(long bytes) {
        armCut(bytes, true);
    }

    /**
     * Stalls: forwards nothing either way (connections stay open, new ones are accepted and
     * connected to the server, and get nothing) until {@code stall(false)}: then everything held
     * back flows on.
     */
    public void stall(boolean stall) {
        synchronized (stallLock) {
            stalled = stall;
            stallLock.notifyAll();
        }
    }

    /**
     * {@code true}: stops listening, so new connections are refused (ECONNREFUSED), as when the
     * server is down; open connections stay. {@code false}: listens again on the same port.
     */
    public synchronized void refuseConnections(boolean refuse) {
        if (closed) {
            return;
        }
        if (refuse && listener != null) {
            closeQuietly(listener);
            listener = null;
            joinQuietly(acceptor);
            acceptor = null;
        } else if (!refuse && listener == null) {
            try {
                startAccepting(bind(port));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on port " + port + " again", e);
            }
        }
    }

    /** Whether cuts reset the connection (default, RST) or close it in order (FIN: the client reads end of stream). */
    public FaultProxy cutWithFin(boolean fin) {
        resetOnCut = !fin;
        return this;
    }

    /** Removes all faults and latency (open connections stay). */
    public FaultProxy heal() {
        armCut(UNLIMITED, false);
        stall(false);
        refuseConnections(false);
        return latency(Duration.ZERO, Duration.ZERO);
    }

    // ------------------------------------------------------------------ counters

    /** Bytes forwarded from clients to the server. */
    public long bytesFromClient() {
        return bytesFromClient.get();
    }

    /** Bytes forwarded from the server to clients. */
    public long bytesFromServer() {
        return bytesFromServer.get();
    }

    /** Connections accepted so far. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    /** Connections open now. */
    public int openConnections() {
        return connections.size();
    }

    /** Connections cut by {@link #cutAfterServerBytes} or {@link #dropAll()}. */
    public int cuts() {
        return cuts.get();
    }

    /** Stops listening and cuts every connection. */
    @Override
    public void close() {
        Thread acceptorThread;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (listener != null) {
                closeQuietly(listener);
                listener = null;
            }
            acceptorThread = acceptor;
        }
        stall(false);
        for (Connection connection : connections) {
            connection.close();
        }
        joinQuietly(acceptorThread);
    }

    @Override
    public String toString() {
        return "FaultProxy[" + host() + ":" + port + " -> " + targetHost + ":" + targetPort + "]";
    }

    // ------------------------------------------------------------------ internals

    private void armCut(long bytes, boolean once) {
        if (bytes < 0) {
            throw new IllegalArgumentException("bytes must not be negative: " + bytes);
        }
        cutOnce = once;
        serverByteBudget = bytes;
        for (Connection connection : connections) {
            connection.serverBudget.set(bytes);
        }
    }

    private ServerSocket bind(int localPort) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getByName(FreePorts.LOOPBACK), localPort), 100);
        return socket;
    }

    private synchronized void startAccepting(ServerSocket socket) {
        listener = socket;
        acceptor = new Thread(() -> acceptLoop(socket), "fault-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void acceptLoop(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return; // closed
            }
            accepted.incrementAndGet();
            Socket server = new Socket();
            try {
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                server.connect(new InetSocketAddress(targetHost, targetPort), 10_000);
            } catch (IOException e) {
                // the target is down: the client sees its connection closed at once
                closeQuietly(server);
                closeQuietly(client);
                continue;
            }
            Connection connection = new Connection(client, server, serverByteBudget);
            connections.add(connection);
            if (closed) {
                connection.close();
                return;
            }
            connection.start();
        }
    }

    private void awaitNotStalled() throws InterruptedException {
        if (!stalled) {
            return;
        }
        synchronized (stallLock) {
            while (stalled && !closed) {
                stallLock.wait();
            }
        }
    }

    private static Duration nonNegative(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("latency must not be negative: " + duration);
        }
        return duration;
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    private static void joinQuietly(Thread thread) {
        if (thread == null || thread == Thread.currentThread()) {
            return;
        }
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Chunk(byte[] data, long dueNanos) {
        static final Chunk END = new Chunk(new byte[0], 0);
    }

    /** One proxied connection: two directions, each a reader thread feeding a delay queue and a writer thread. */
    private final class Connection {
        private final Socket client;
        private final Socket server;
        private final AtomicLong serverBudget;
        private final AtomicInteger directionsDone = new AtomicInteger();
        private volatile boolean cut;

        Connection(Socket client, Socket server, long budget) {
            this.client = client;
            this.server = server;
            this.serverBudget = new AtomicLong(budget);
        }

        void start() {
            String name = "fault-proxy-" + port + "-" + client.getPort();
            direction(client, server, false, name + "-up");
            direction(server, client, true, name + "-down");
        }

        private void direction(Socket from, Socket to, boolean fromServer, String name) {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
            Thread reader = new Thread(() -> read(from, queue, fromServer), name + "-read");
            Thread writer = new Thread(() -> write(to, queue, fromServer), name + "-write");
            reader.setDaemon(true);
            writer.setDaemon(true);
            reader.start();
            writer.start();
        }

        private void read(Socket from, BlockingQueue<Chunk> queue, boolean fromServer) {
            byte[] buffer = new byte[CHUNK];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        queue.put(Chunk.END);
                        return;
                    }
                    long delay = fromServer ? serverToClientDelayNanos : clientToServerDelayNanos;
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delay));
                }
            } catch (IOException e) {
                close(); // reset or closed: end the whole connection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
            }
        }

        private void write(Socket to, BlockingQueue<Chunk> queue, boolean fromServer) {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (chunk == null) {
                        if (cut || to.isClosed()) {
                            return;
                        }
                        continue;
                    }
                    if (chunk == Chunk.END) {
                        to.shutdownOutput();
                        if (directionsDone.incrementAndGet() == 2) {
                            close();
                        }
                        return;
                    }
                    long wait;
                    while ((wait = chunk.dueNanos() - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    awaitNotStalled();
                    byte[] data = chunk.data();
                    if (fromServer) {
                        long budget = serverBudget.get();
                        if (budget < data.length) {
                            bytesFromServer.addAndGet(budget);
                            out.write(data, 0, (int) budget);
                            out.flush();
                            if (cutOnce) {
                                armCut(UNLIMITED, false);
                            }
                            cut();
                            return;
                        }
                        if (budget != UNLIMITED) {
                            serverBudget.addAndGet(-data.length);
                        }
                        // counted before writing: whoever sees the bytes arrive sees them counted
                        bytesFromServer.addAndGet(data.length);
                        out.write(data);
                    } else {
                        bytesFromClient.addAndGet(data.length);
                        out.write(data);
                    }
                }
            } catch (IOException e) {
                close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
            }
        }

        /** A fault: reset (or FIN) both sides. */
        void cut() {
            if (cut) {
                return;
            }
            cut = true;
            cuts.incrementAndGet();
            if (resetOnCut) {
                try {
                    client.setSoLinger(true, 0);
                    server.setSoLinger(true, 0);
                } catch (SocketException ignored) {
                    // already closed
                }
            }
            close();
        }

        void close() {
            cut = true;
            connections.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }
    }
}
