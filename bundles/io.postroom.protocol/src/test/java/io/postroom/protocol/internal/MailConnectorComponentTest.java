package io.postroom.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Security;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.testing.ds.ComponentConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The DS component's configuration: defaults, the .cfg forms administrators write, and mistakes. */
class MailConnectorComponentTest {

    /** What DS hands the component: the annotation defaults, overridden by configuration properties. */
    static MailConnectorComponent.Config config(Map<String, Object> properties) {
        return ComponentConfig.of(MailConnectorComponent.Config.class, properties);
    }

    @Test
    void metatypeDefaultsAreTheConnectorDefaults() {
        assertThat(MailConnectorComponent.toConnectorConfig(config(Map.of()))).isEqualTo(ConnectorConfig.defaults());
    }

    @Test
    void listsMayBeWrittenAsOneCommaSeparatedValue() {
        ConnectorConfig c = MailConnectorComponent.toConnectorConfig(config(Map.of(
                "allowedHosts", new String[] {"127.0.0.1, *.corp.example"},
                "plaintextHosts", new String[] {"127.0.0.1"},
                "allowedPorts", new String[] {"143,993 3025"},
                "connectTimeoutSeconds", 5)));
        assertThat(c.allowedHosts()).containsExactly("127.0.0.1", "*.corp.example");
        assertThat(c.allowedPorts()).containsExactly(143, 993, 3025);
        assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.deniedHosts()).isEqualTo(ConnectorConfig.DEFAULT_DENIED_HOSTS);
    }

    @Test
    void anEmptyPortListMeansAnyPort() {
        ConnectorConfig c = MailConnectorComponent.toConnectorConfig(config(Map.of("allowedPorts", new String[] {""})));
        assertThat(c.allowedPorts()).isEmpty();
    }

    @Test
    void theStandaloneSettingsAllowLoopback() {
        MailConnectorComponent component = new MailConnectorComponent(config(Map.of(
                "allowedHosts", new String[] {"127.0.0.1"}, "plaintextHosts", new String[] {"127.0.0.1"})));
        component.checkAllowed(new Endpoint("127.0.0.1", 143, Security.NONE), Protocol.IMAP);
        assertThatThrownBy(() -> component.checkAllowed(new Endpoint("10.0.0.1", 143, Security.STARTTLS), Protocol.IMAP))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> assertThat(e.failure().kind()).isEqualTo(Kind.NOT_ALLOWED));
    }

    @Test
    void mistakesNameThePropertyAndTheEntry() {
        assertThatThrownBy(() -> MailConnectorComponent.toConnectorConfig(config(Map.of("allowedPorts", new String[] {"993", "imaps"}))))
                .hasMessageContaining("allowedPorts").hasMessageContaining("'imaps'");
        assertThatThrownBy(() -> MailConnectorComponent.toConnectorConfig(config(Map.of("allowedPorts", new String[] {"0"}))))
                .hasMessageContaining("allowedPorts").hasMessageContaining("0");
        assertThatThrownBy(() -> MailConnectorComponent.toConnectorConfig(config(Map.of("deniedHosts", new String[] {"10.0.0.0/40"}))))
                .hasMessageContaining("io.postroom.protocol").hasMessageContaining("deniedHosts").hasMessageContaining("10.0.0.0/40");
        assertThatThrownBy(() -> MailConnectorComponent.toConnectorConfig(config(Map.of("readTimeoutSeconds", 0))))
                .hasMessageContaining("readTimeout").hasMessageContaining("never wait forever");
    }

    @Test
    void configRecordCopiesAndValidates() {
        List<String> hosts = new java.util.ArrayList<>(Arrays.asList("a.example", " ", "B.EXAMPLE"));
        ConnectorConfig c = ConnectorConfig.defaults().withAllowedHosts(hosts.toArray(String[]::new));
        hosts.clear();
        assertThat(c.allowedHosts()).containsExactly("a.example", "b.example");
        assertThatThrownBy(() -> ConnectorConfig.defaults().withTimeouts(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(1)))
                .hasMessageContaining("connectTimeout");
        assertThatThrownBy(() -> ConnectorConfig.defaults().withAllowedPorts(65536)).hasMessageContaining("65536");
        assertThatThrownBy(() -> ConnectorConfig.defaults().withTrustedHosts("bad host")).hasMessageContaining("trustedHosts");
    }
    @Test
    void theResponseLimitIsConfiguredInMebibytesWithinBounds() {
        assertThat(MailConnectorComponent.toConnectorConfig(config(Map.of())).maxResponseBytes()).isEqualTo(64 << 20);
        assertThat(MailConnectorComponent.toConnectorConfig(config(Map.of("maxResponseMegabytes", 16))).maxResponseBytes())
                .isEqualTo(16 << 20);
        for (int wrong : new int[] {0, -1, 1025, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> MailConnectorComponent.toConnectorConfig(config(Map.of("maxResponseMegabytes", wrong))))
                    .hasMessageContaining("io.postroom.protocol").hasMessageContaining("maxResponseMegabytes")
                    .hasMessageContaining(Integer.toString(wrong));
        }
        assertThatThrownBy(() -> ConnectorConfig.defaults().withMaxResponseBytes(1000)).hasMessageContaining("maxResponseBytes");
        assertThatThrownBy(() -> ConnectorConfig.defaults().withMaxResponseBytes((1 << 30) + 1)).hasMessageContaining("maxResponseBytes");
        // callers of the constructor without the limit get the default
        ConnectorConfig d = ConnectorConfig.defaults();
        assertThat(new ConnectorConfig(d.connectTimeout(), d.readTimeout(), d.writeTimeout(), d.allowedHosts(), d.deniedHosts(),
                d.allowedPorts(), d.plaintextHosts(), d.trustedHosts())).isEqualTo(d);
        // every with... keeps it
        ConnectorConfig small = d.withMaxResponseBytes(1 << 20);
        assertThat(small.withAllowedHosts("a.example").withDeniedHosts().withAllowedPorts(993).withPlaintextHosts()
                .withTrustedHosts().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3))
                .maxResponseBytes()).isEqualTo(1 << 20);
    }

    @Test
    void theCommandTimeoutIsConfiguredInSecondsAndKeptByEveryChange() {
        assertThat(MailConnectorComponent.toConnectorConfig(config(Map.of())).commandTimeout()).isEqualTo(Duration.ofMinutes(10));
        assertThat(ConnectorConfig.defaults().commandTimeout()).isEqualTo(ConnectorConfig.DEFAULT_COMMAND_TIMEOUT)
                .isEqualTo(Duration.ofMinutes(10));
        assertThat(MailConnectorComponent.toConnectorConfig(config(Map.of("commandTimeoutSeconds", 90))).commandTimeout())
                .isEqualTo(Duration.ofSeconds(90));
        for (int wrong : new int[] {0, -5}) {
            assertThatThrownBy(() -> MailConnectorComponent.toConnectorConfig(config(Map.of("commandTimeoutSeconds", wrong))))
                    .hasMessageContaining("io.postroom.protocol").hasMessageContaining("commandTimeout")
                    .hasMessageContaining("never wait forever");
        }
        assertThatThrownBy(() -> ConnectorConfig.defaults().withCommandTimeout(null)).hasMessageContaining("commandTimeout");
        // callers of the constructors without it get the default
        ConnectorConfig d = ConnectorConfig.defaults();
        assertThat(new ConnectorConfig(d.connectTimeout(), d.readTimeout(), d.writeTimeout(), d.allowedHosts(), d.deniedHosts(),
                d.allowedPorts(), d.plaintextHosts(), d.trustedHosts(), d.maxResponseBytes())).isEqualTo(d);
        // every with... keeps it
        ConnectorConfig quick = d.withCommandTimeout(Duration.ofSeconds(2));
        assertThat(quick.withAllowedHosts("a.example").withDeniedHosts().withAllowedPorts(993).withPlaintextHosts()
                .withTrustedHosts().withMaxResponseBytes(1 << 20)
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(3))
                .commandTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theImapStoreCarriesTheConfiguredCommandTimeout() {
        ConnectorConfig c = ConnectorConfig.defaults().withCommandTimeout(Duration.ofMillis(1500));
        java.util.Properties props = SessionProperties.of(Protocol.IMAP,
                Security.SSL, "imap.example.com", false, c, new PolicySocketFactory(new OutboundPolicy(c), 1000));
        BoundedImapStore store = new BoundedImapStore(jakarta.mail.Session.getInstance(props), "imaps", true, c.commandTimeout());
        assertThat(store.commandTimeout()).isEqualTo(Duration.ofMillis(1500));
        // never unbounded: the store refuses to be made without one, and ConnectorConfig refuses none or zero
        org.assertj.core.api.Assertions.assertThatNullPointerException()
                .isThrownBy(() -> new BoundedImapStore(jakarta.mail.Session.getInstance(props), "imaps", true, null));
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> ConnectorConfig.defaults().withCommandTimeout(Duration.ZERO));
    }

    /** Configuration Admin hands over any value: each bound of the metatype is checked, naming the property. */
    @Test
    void theMetatypesBoundsAreEnforced() {
        io.postroom.testing.ds.MetatypeBounds.assertEnforced(MailConnectorComponent.Config.class, OutboundPolicy.PID,
                MailConnectorComponent::toConnectorConfig);
    }
}
