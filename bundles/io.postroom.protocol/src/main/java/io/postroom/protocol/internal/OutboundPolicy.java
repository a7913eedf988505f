package io.postroom.protocol.internal;

import io.postroom.protocol.ConnectorConfig;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The administrator's outbound policy: which hosts and ports Postroom may connect to, which hosts
 * may be used without TLS, and which hosts' certificates are trusted without verification.
 *
 * <p>A host is allowed when its name or an address it resolves to matches {@code allowedHosts},
 * or when the address is not in {@code deniedHosts}. The address that counts is the one the socket
 * is about to connect to, so a name that resolves to a public address when checked and to a
 * private one when connecting (DNS rebinding) is still refused.
 */
public final class OutboundPolicy {
    static final String PID = "io.postroom.protocol";

    private final List<HostPattern> allowed;
    private final List<HostPattern> denied;
    private final List<HostPattern> plaintext;
    private final List<HostPattern> trusted;
    private final Set<Integer> ports;

    public OutboundPolicy(ConnectorConfig config) {
        this.allowed = config.allowedHosts().stream().map(HostPattern::parse).toList();
        this.denied = config.deniedHosts().stream().map(HostPattern::parse).toList();
        this.plaintext = config.plaintextHosts().stream().map(HostPattern::parse).toList();
        this.trusted = config.trustedHosts().stream().map(HostPattern::parse).toList();
        this.ports = new TreeSet<>(config.allowedPorts());
    }

    /** Why the port is refused, or empty when it is allowed. */
    public Optional<String> portDenial(int port) {
        if (ports.isEmpty() || ports.contains(port)) {
            return Optional.empty();
        }
        return Optional.of("port " + port + " is not in allowedPorts " + ports + " of the outbound policy"
                + " (configuration " + PID + ")");
    }

    /** Whether the host name itself is allowed by {@code allowedHosts}, without resolving it. */
    public boolean nameAllowed(String host) {
        return allowed.stream().anyMatch(p -> p.matchesName(host));
    }

    /**
     * Why connecting to {@code address}:{@code port}, reached through the name {@code host}, is
     * refused; empty when it is allowed.
     */
    public Optional<String> denial(String host, InetAddress address, int port) {
        Optional<String> portDenial = portDenial(port);
        if (portDenial.isPresent()) {
            return portDenial;
        }
        if (nameAllowed(host) || allowed.stream().anyMatch(p -> p.matchesAddress(address))) {
            return Optional.empty();
        }
        for (HostPattern p : denied) {
            if (p.matchesName(host) && !p.isAddressPattern()) {
                return Optional.of("host " + host + " matches " + p + " in deniedHosts of the outbound policy"
                        + " (configuration " + PID + "); an administrator can add it to allowedHosts");
            }
        }
        InetAddress checked = address;
        InetAddress embedded = HostPattern.embeddedIpv4(address);
        for (HostPattern p : denied) {
            if (p.matchesAddress(checked) || (embedded != null && p.matchesAddress(embedded))) {
                String ip = address == null ? "?" : address.getHostAddress();
                String what = ip.equalsIgnoreCase(host) ? "address " + ip : "host " + host + " resolves to " + ip + ", which";
                return Optional.of(what + " is in " + p + " (deniedHosts of the outbound policy, configuration " + PID
                        + "); an administrator can add it to allowedHosts");
            }
        }
        return Optional.empty();
    }

    /** Whether the host may be used without TLS ({@code Security.NONE}): matched by name as entered. */
    public boolean plaintextAllowed(String host) {
        return plaintext.stream().anyMatch(p -> p.matchesName(host));
    }

    /** Whether the administrator trusts the host's certificate without verification: matched by name as entered. */
    public boolean trusted(String host) {
        return trusted.stream().anyMatch(p -> p.matchesName(host));
    }
}
