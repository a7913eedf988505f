package io.postroom.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class HostPatternTest {

    private static InetAddress ip(String literal) {
        return HostPattern.ipLiteral(literal);
    }

    @Test
    void exactNamesMatchIgnoringCaseAndTrailingDot() {
        HostPattern p = HostPattern.parse("IMAP.Example.com");
        assertThat(p.matchesName("imap.example.com")).isTrue();
        assertThat(p.matchesName("imap.example.com.")).isTrue();
        assertThat(p.matchesName("mail.example.com")).isFalse();
        assertThat(p.matchesName("imap.example.com.evil.net")).isFalse();
        assertThat(p.matchesAddress(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void suffixPatternsMatchSubdomainsOnly() {
        HostPattern p = HostPattern.parse("*.example.com");
        assertThat(p.matchesName("imap.example.com")).isTrue();
        assertThat(p.matchesName("a.b.example.com")).isTrue();
        assertThat(p.matchesName("example.com")).isFalse();
        assertThat(p.matchesName("badexample.com")).isFalse();
    }

    @Test
    void cidrBlocksMatchAddressesAndAddressLiterals() {
        HostPattern p = HostPattern.parse("172.16.0.0/12");
        assertThat(p.matchesAddress(ip("172.16.0.1"))).isTrue();
        assertThat(p.matchesAddress(ip("172.31.255.255"))).isTrue();
        assertThat(p.matchesAddress(ip("172.32.0.0"))).isFalse();
        assertThat(p.matchesName("172.20.1.1")).isTrue();
        assertThat(p.matchesName("imap.example.com")).isFalse();
        assertThat(HostPattern.parse("100.64.0.0/10").matchesAddress(ip("100.127.255.255"))).isTrue();
        assertThat(HostPattern.parse("100.64.0.0/10").matchesAddress(ip("100.128.0.0"))).isFalse();
        assertThat(HostPattern.parse("0.0.0.0/0").matchesAddress(ip("8.8.8.8"))).isTrue();
    }

    @Test
    void ipv6BlocksAndEmbeddedIpv4() {
        assertThat(HostPattern.parse("fc00::/7").matchesAddress(ip("fd12:3456::1"))).isTrue();
        assertThat(HostPattern.parse("fc00::/7").matchesAddress(ip("fe00::1"))).isFalse();
        assertThat(HostPattern.parse("fe80::/10").matchesAddress(ip("[fe80::1]"))).isTrue();
        assertThat(HostPattern.parse("::1").matchesAddress(ip("0:0:0:0:0:0:0:1"))).isTrue();
        // IPv4-mapped addresses are IPv4 addresses in Java; IPv4-compatible ones are checked as IPv4
        assertThat(HostPattern.parse("127.0.0.0/8").matchesAddress(ip("::ffff:127.0.0.1"))).isTrue();
        assertThat(HostPattern.parse("127.0.0.0/8").matchesAddress(ip("::127.0.0.1"))).isTrue();
        assertThat(HostPattern.parse("127.0.0.0/8").matchesAddress(ip("2001:db8::1"))).isFalse();
    }

    @Test
    void literalsAreParsedWithoutDns() {
        assertThat(HostPattern.ipLiteral("imap.example.com")).isNull();
        assertThat(HostPattern.ipLiteral("1.2.3")).isNull();
        assertThat(HostPattern.ipLiteral("256.1.1.1")).isNull();
        assertThat(HostPattern.ipLiteral("10.0.0.1")).isNotNull();
        assertThat(HostPattern.ipLiteral("[::1]")).isNotNull();
    }

    @Test
    void badPatternsSayWhatIsWrong() {
        assertThatThrownBy(() -> HostPattern.parse("10.0.0.0/33")).hasMessageContaining("prefix length outside 0..32");
        assertThatThrownBy(() -> HostPattern.parse("fc00::/129")).hasMessageContaining("0..128");
        assertThatThrownBy(() -> HostPattern.parse("example.com/8")).hasMessageContaining("not a CIDR block");
        assertThatThrownBy(() -> HostPattern.parse("*.")).hasMessageContaining("*.example.com");
        assertThatThrownBy(() -> HostPattern.parse("imap example.com")).hasMessageContaining("not a host name");
        assertThatThrownBy(() -> HostPattern.parse("  ")).hasMessageContaining("empty");
    }
}
