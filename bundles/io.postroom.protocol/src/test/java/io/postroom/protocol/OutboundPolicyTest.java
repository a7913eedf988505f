package io.postroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Security;
import io.postroom.protocol.internal.OutboundPolicy;
import io.postroom.protocol.internal.OutboundPolicyException;
import io.postroom.protocol.internal.PolicySocketFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbound policy refuses before any packet is sent: a loopback {@link ServerSocket} stands in
 * for an internal service, and must never see a connection.
 */
class OutboundPolicyTest {
    private ServerSocket internal;

    @BeforeEach
    void listen() throws Exception {
        internal = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"));
    }

    @AfterEach
    void close() throws Exception {
        internal.close();
    }

    private int port() {
        return internal.getLocalPort();
    }

    /** Default policy but any port, so that only the host rule is under test. */
    private static MailConnector defaultHostsAnyPort() {
        return MailConnectors.create(ConnectorConfig.defaults().withAllowedPorts());
    }

    @Test
    void loopbackIsDeniedByDefaultWithoutConnecting() throws Exception {
        Endpoint endpoint = new Endpoint("127.0.0.1", port(), Security.SSL);
        assertThatThrownBy(() -> defaultHostsAnyPort().openImap(endpoint, TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.OUTBOUND_NOT_ALLOWED);
                    assertThat(e.failure().kind()).isEqualTo(Kind.NOT_ALLOWED);
                    assertThat(e.failure().step()).isEqualTo(Step.CONNECT);
                    assertThat(e.failure().detail()).contains("127.0.0.0/8", "allowedHosts");
                    assertThat(e.failure().kind().isTransient()).isFalse();
                });
        assertThatThrownBy(() -> defaultHostsAnyPort().openSmtp(endpoint, TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class,
                        e -> assertThat(e.failure().kind()).isEqualTo(Kind.NOT_ALLOWED));
        assertNeverConnected();
    }

    @Test
    void aNameThatResolvesToLoopbackIsDeniedToo() throws Exception {
        Endpoint endpoint = new Endpoint("localhost", port(), Security.SSL);
        assertThatThrownBy(() -> defaultHostsAnyPort().openImap(endpoint, TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.NOT_ALLOWED);
                    assertThat(e.failure().detail()).contains("localhost resolves to");
                });
        assertNeverConnected();
    }

    @Test
    void privateAndMetadataAddressesAreDeniedByDefault() {
        MailConnector connector = defaultHostsAnyPort();
        for (String host : new String[] {"10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
                                         "0.0.0.0", "::1", "fe80::1", "fd00::1", "224.0.0.1", "::ffff:127.0.0.1", "::127.0.0.1"}) {
            assertThatThrownBy(() -> connector.checkAllowed(new Endpoint(host, 993, Security.SSL), Protocol.IMAP))
                    .as(host)
                    .isInstanceOfSatisfying(ConnectionFailedException.class,
                            e -> assertThat(e.failure().kind()).isEqualTo(Kind.NOT_ALLOWED));
        }
        // a public address passes the check (nothing is connected)
        connector.checkAllowed(new Endpoint("8.8.8.8", 993, Security.SSL), Protocol.IMAP);
        connector.checkAllowed(new Endpoint("2001:4860:4860::8888", 587, Security.STARTTLS), Protocol.SMTP);
    }

    @Test
    void allowedHostsWinOverDeniedHosts() throws Exception {
        MailConnector byAddress = MailConnectors.create(ConnectorConfig.defaults().withAllowedPorts().withAllowedHosts("127.0.0.0/8"));
        byAddress.checkAllowed(new Endpoint("127.0.0.1", port(), Security.SSL), Protocol.IMAP);
        byAddress.checkAllowed(new Endpoint("localhost", port(), Security.SSL), Protocol.IMAP);
        MailConnector byName = MailConnectors.create(ConnectorConfig.defaults().withAllowedPorts().withAllowedHosts("localhost"));
        byName.checkAllowed(new Endpoint("localhost", port(), Security.SSL), Protocol.IMAP);
        assertThatThrownBy(() -> byName.checkAllowed(new Endpoint("127.0.0.1", port(), Security.SSL), Protocol.IMAP))
                .isInstanceOf(ConnectionFailedException.class);
    }

    @Test
    void aPortOutsideAllowedPortsIsDenied() throws Exception {
        MailConnector connector = MailConnectors.create(ConnectorConfig.defaults().withAllowedHosts("127.0.0.1"));
        Endpoint endpoint = new Endpoint("127.0.0.1", port(), Security.SSL);
        assertThatThrownBy(() -> connector.openImap(endpoint, TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.NOT_ALLOWED);
                    assertThat(e.failure().detail()).contains("port " + port(), "allowedPorts");
                });
        assertNeverConnected();
        connector.checkAllowed(new Endpoint("127.0.0.1", 993, Security.SSL), Protocol.IMAP);
    }

    @Test
    void theSocketChecksTheAddressItConnectsToAgainstRebinding() throws Exception {
        // a name that looked public when checked but resolves to loopback when the socket connects
        OutboundPolicy policy = new OutboundPolicy(ConnectorConfig.defaults().withAllowedPorts());
        Socket socket = new PolicySocketFactory(policy, 2000).createSocket();
        InetAddress rebound = InetAddress.getByAddress("mail.example.com", new byte[] {127, 0, 0, 1});
        assertThatThrownBy(() -> socket.connect(new InetSocketAddress(rebound, port()), 2000))
                .isInstanceOf(OutboundPolicyException.class)
                .hasMessageContaining("mail.example.com resolves to 127.0.0.1");
        assertThat(socket.isConnected()).isFalse();
        assertNeverConnected();
    }

    @Test
    void aNameWhoseAaaaRecordEmbedsAPrivateIpv4AddressIsDenied() throws Exception {
        // a DNS AAAA answer ::ffff:127.0.0.1 stays an Inet6Address (a typed literal would become IPv4)
        OutboundPolicy policy = new OutboundPolicy(ConnectorConfig.defaults().withAllowedPorts());
        for (String embedded : new String[] {"::ffff:127.0.0.1", "::ffff:10.1.2.3", "::ffff:169.254.169.254",
                "64:ff9b::a9fe:a9fe", "2002:7f00:1::1"}) {
            byte[] bytes = InetAddress.getByName(embedded).getAddress();
            if (bytes.length == 4) {
                // the JDK turned the mapped literal into IPv4: build the IPv6 form the resolver returns
                byte[] mapped = new byte[16];
                mapped[10] = (byte) 0xff;
                mapped[11] = (byte) 0xff;
                System.arraycopy(bytes, 0, mapped, 12, 4);
                bytes = mapped;
            }
            java.net.Inet6Address address = java.net.Inet6Address.getByAddress("evil.example", bytes, -1);
            assertThat(policy.denial("evil.example", address, 993)).as(embedded)
                    .hasValueSatisfying(reason -> assertThat(reason).contains("evil.example resolves to"));
        }
        assertThat(policy.denial("mail.example", java.net.Inet6Address.getByAddress("mail.example",
                InetAddress.getByName("2a00:1450:4001:81c::2005").getAddress(), -1), 993)).isEmpty();
    }

    @Test
    void unknownHostIsReported() {
        Endpoint endpoint = new Endpoint("nonexistent.invalid", 993, Security.SSL);
        MailConnector connector = MailConnectors.create(ConnectorConfig.defaults());
        assertThatThrownBy(() -> connector.openImap(endpoint, TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION_FAILED);
                    assertThat(e.failure().kind()).isEqualTo(Kind.UNKNOWN_HOST);
                    assertThat(e.failure().host()).isEqualTo("nonexistent.invalid");
                    assertThat(e.getMessage()).contains("nonexistent.invalid:993", "host name is unknown");
                });
    }

    @Test
    void unknownHostIsReportedByTheSocketToo() throws Exception {
        // allowed by name, so the connector does not resolve it first: Angus's connect finds out
        MailConnector connector = MailConnectors.create(ConnectorConfig.defaults().withAllowedHosts("*.invalid"));
        Endpoint endpoint = new Endpoint("nonexistent.invalid", 465, Security.SSL);
        assertThatThrownBy(() -> connector.openSmtp(endpoint, TestGreenMail.credentials()))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.UNKNOWN_HOST);
                    assertThat(e.failure().protocol()).isEqualTo(Protocol.SMTP);
                });
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws Exception {
        MailConnector connector = MailConnectors.create(TestGreenMail.loopbackConfig()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofMillis(300)));
        // the kernel completes the handshake (backlog) and the server never says a word
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
          for (Security security : Security.values()) {
            Endpoint endpoint = new Endpoint("127.0.0.1", silent.getLocalPort(), security);
            assertThatThrownBy(() -> connector.openImap(endpoint, TestGreenMail.credentials()))
                    .as("IMAP " + security)
                    .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                        assertThat(e.failure().kind()).isEqualTo(Kind.TIMEOUT);
                        assertThat(e.failure().kind().isTransient()).isTrue();
                    });
            assertThatThrownBy(() -> connector.openSmtp(endpoint, TestGreenMail.credentials()))
                    .as("SMTP " + security)
                    .isInstanceOfSatisfying(ConnectionFailedException.class,
                            e -> assertThat(e.failure().kind()).isEqualTo(Kind.TIMEOUT));
          }
        }
    }

    @Test
    void blankHostAndBadPortAreInputErrors() {
        MailConnector connector = MailConnectors.create(ConnectorConfig.defaults());
        assertThatThrownBy(() -> connector.checkAllowed(new Endpoint(" ", 993, Security.SSL), Protocol.IMAP))
                .isInstanceOfSatisfying(PostroomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_HOST));
        assertThatThrownBy(() -> connector.checkAllowed(new Endpoint("imap.example.com\r\nX", 993, Security.SSL), Protocol.IMAP))
                .isInstanceOfSatisfying(PostroomException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_HOST);
                    assertThat(e.details()).containsEntry("field", "imapHost");
                });
        assertThatThrownBy(() -> connector.checkAllowed(new Endpoint(" imap.example.com", 993, Security.SSL), Protocol.SMTP))
                .isInstanceOfSatisfying(PostroomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_HOST));
        assertThatThrownBy(() -> connector.checkAllowed(new Endpoint("imap.example.com", 70000, Security.SSL), Protocol.IMAP))
                .isInstanceOfSatisfying(PostroomException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PORT));
    }

    private void assertNeverConnected() throws Exception {
        internal.setSoTimeout(200);
        assertThatThrownBy(() -> internal.accept().close())
                .as("the internal service saw a connection")
                .isInstanceOf(SocketTimeoutException.class);
    }
}
