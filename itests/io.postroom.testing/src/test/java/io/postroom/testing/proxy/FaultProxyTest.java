package io.postroom.testing.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

    private static final int STREAM_BYTES = 1_000_000;

    private ServerSocket echo;
    private ServerSocket streamer;

    @BeforeEach
    void startServers() throws IOException {
        echo = serve(socket -> {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        });
        streamer = serve(socket -> {
            byte[] data = new byte[STREAM_BYTES];
            Arrays.fill(data, (byte) 'x');
            socket.getOutputStream().write(data);
            socket.shutdownOutput();
            socket.getInputStream().read();
        });
    }

    @AfterEach
    void stopServers() throws IOException {
        echo.close();
        streamer.close();
    }

    @Test
    void forwardsBothWaysAndCounts() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.getLocalPort());
             Socket client = new Socket(proxy.host(), proxy.port())) {
            client.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(client.getInputStream().readNBytes(5), StandardCharsets.US_ASCII)).isEqualTo("hello");
            assertThat(proxy.bytesFromClient()).isEqualTo(5);
            assertThat(proxy.bytesFromServer()).isEqualTo(5);
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
            assertThat(proxy.openConnections()).isEqualTo(1);
        }
    }

    @Test
    void passesTheServersEndOfStreamOn() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(streamer.getLocalPort());
             Socket client = new Socket(proxy.host(), proxy.port())) {
            assertThat(client.getInputStream().readAllBytes()).hasSize(STREAM_BYTES);
        }
    }

    @Test
    void cutsAfterTheGivenServerBytesAndTheClientSeesIt() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(streamer.getLocalPort())) {
            proxy.cutOnceAfterServerBytes(100_000);
            try (Socket client = new Socket(proxy.host(), proxy.port())) {
                InputStream in = client.getInputStream();
                long received = 0;
                byte[] buffer = new byte[8192];
                IOException failure = null;
                try {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        received += n;
                    }
                } catch (IOException e) {
                    failure = e;
                }
                assertThat(received).isLessThanOrEqualTo(100_000);
                assertThat(failure).as("the client sees a reset").isNotNull();
                assertThat(proxy.cuts()).isEqualTo(1);
            }
            // disarmed after one cut: the next connection gets everything
            try (Socket client = new Socket(proxy.host(), proxy.port())) {
                assertThat(client.getInputStream().readAllBytes()).hasSize(STREAM_BYTES);
            }
        }
    }

    @Test
    void cutWithFinEndsTheStreamAfterExactlyTheBytes() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(streamer.getLocalPort()).cutWithFin(true)) {
            proxy.cutAfterServerBytes(123_456);
            for (int i = 0; i < 2; i++) {
                try (Socket client = new Socket(proxy.host(), proxy.port())) {
                    assertThat(client.getInputStream().readAllBytes()).hasSize(123_456);
                }
            }
            proxy.heal();
            try (Socket client = new Socket(proxy.host(), proxy.port())) {
                assertThat(client.getInputStream().readAllBytes()).hasSize(STREAM_BYTES);
            }
        }
    }

    @Test
    void latencyDelaysEachDirection() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.getLocalPort()).roundTrip(Duration.ofMillis(100));
             Socket client = new Socket(proxy.host(), proxy.port())) {
            client.getOutputStream().write('a');
            client.getInputStream().read();
            long start = System.nanoTime();
            client.getOutputStream().write('b');
            assertThat(client.getInputStream().read()).isEqualTo('b');
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertThat(millis).isGreaterThanOrEqualTo(95);
        }
        try (FaultProxy proxy = FaultProxy.start(streamer.getLocalPort()).latency(Duration.ZERO, Duration.ofMillis(50));
             Socket client = new Socket(proxy.host(), proxy.port())) {
            long start = System.nanoTime();
            assertThat(client.getInputStream().readAllBytes()).hasSize(STREAM_BYTES);
            long millis = (System.nanoTime() - start) / 1_000_000;
            // 31 chunks of 32 KB: a queue keeps them all in flight, one delay for all (printed, not asserted)
            System.out.println("1 MB through a 50 ms one-way delay took " + millis + " ms");
            assertThat(millis).isGreaterThanOrEqualTo(45);
        }
    }

    @Test
    void dropAllCutsOpenConnectionsButAcceptsNewOnes() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.getLocalPort());
             Socket client = new Socket(proxy.host(), proxy.port())) {
            client.getOutputStream().write('a');
            client.getInputStream().read();
            proxy.dropAll();
            assertThatThrownBy(() -> {
                client.getOutputStream().write('b');
                if (client.getInputStream().read() < 0) {
                    throw new IOException("end of stream");
                }
            }).isInstanceOf(IOException.class);
            assertThat(proxy.openConnections()).isZero();
            try (Socket again = new Socket(proxy.host(), proxy.port())) {
                again.getOutputStream().write('c');
                assertThat(again.getInputStream().read()).isEqualTo('c');
            }
        }
    }

    @Test
    void stallHoldsDataBackUntilReleased() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.getLocalPort());
             Socket client = new Socket(proxy.host(), proxy.port())) {
            client.setSoTimeout(300);
            proxy.stall(true);
            client.getOutputStream().write('s');
            assertThatThrownBy(() -> client.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
            proxy.stall(false);
            client.setSoTimeout(10_000);
            assertThat(client.getInputStream().read()).isEqualTo('s');
        }
    }

    @Test
    void refusesConnectionsAndListensAgainOnTheSamePort() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(echo.getLocalPort())) {
            proxy.refuseConnections(true);
            assertThatThrownBy(() -> new Socket(proxy.host(), proxy.port()).close()).isInstanceOf(ConnectException.class);
            proxy.refuseConnections(false);
            try (Socket client = new Socket(proxy.host(), proxy.port())) {
                client.getOutputStream().write('r');
                assertThat(client.getInputStream().read()).isEqualTo('r');
            }
        }
    }

    @Test
    void closeEndsEverything() throws Exception {
        FaultProxy proxy = FaultProxy.start(echo.getLocalPort());
        Socket client = new Socket(proxy.host(), proxy.port());
        proxy.close();
        proxy.close();
        // end of stream, or a reset when the connection was still waiting to be accepted
        int read;
        try {
            read = client.getInputStream().read();
        } catch (IOException e) {
            read = -1;
        }
        assertThat(read).isEqualTo(-1);
        client.close();
        assertThatThrownBy(() -> new Socket(proxy.host(), proxy.port()).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aDownTargetClosesTheClientConnection() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        try (FaultProxy proxy = FaultProxy.start(deadPort);
             Socket client = new Socket(proxy.host(), proxy.port())) {
            assertThat(client.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void refusesNegativeSettings() {
        try (FaultProxy proxy = FaultProxy.start(echo.getLocalPort())) {
            assertThatThrownBy(() -> proxy.roundTrip(Duration.ofMillis(-1))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> proxy.cutAfterServerBytes(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private interface Handler {
        void handle(Socket socket) throws IOException;
    }

    private static ServerSocket serve(Handler handler) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    Thread worker = new Thread(() -> {
                        try (socket) {
                            handler.handle(socket);
                        } catch (IOException ignored) {
                            // the proxy cut it
                        }
                    });
                    worker.setDaemon(true);
                    worker.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        thread.setDaemon(true);
        thread.start();
        return server;
    }
}
