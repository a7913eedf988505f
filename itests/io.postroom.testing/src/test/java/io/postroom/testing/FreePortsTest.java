package io.postroom.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    void findsDistinctBindablePorts() throws Exception {
        int[] ports = FreePorts.find(5);
        assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(5);
        for (int port : ports) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(FreePorts.LOOPBACK))) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
            }
        }
        assertThatThrownBy(() -> FreePorts.find(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
