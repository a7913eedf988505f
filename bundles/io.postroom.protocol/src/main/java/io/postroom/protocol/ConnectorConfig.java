package io.postroom.protocol;

import io.postroom.protocol.internal.HostPattern;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * How the {@link MailConnector} connects: timeouts and the administrator's outbound policy.
 * Host lists take exact names ({@code imap.example.com}), subdomain patterns
 * ({@code *.example.com}), IP addresses and CIDR blocks ({@code 10.0.0.0/8}, {@code fc00::/7}).
 *
 * <p>Tests that talk to a server on loopback typically use:
 * <pre>{@code
 * ConnectorConfig.defaults()
 *         .withAllowedHosts("127.0.0.1")
 *         .withPlaintextHosts("127.0.0.1")
 *         .withAllowedPorts()            // any port: test servers listen on random ports
 * }</pre>
 *
 * @param connectTimeout  longest wait for a TCP connection; never infinite
 * @param readTimeout     longest wait for any server response; never infinite
 * @param writeTimeout    longest wait for a write to the server; never infinite
 * @param allowedHosts    hosts always allowed, whatever {@code deniedHosts} says (matched by name or resolved address)
 * @param deniedHosts     addresses (and names) refused unless allowed; defaults to loopback, private, link-local,
 *                        carrier-grade NAT and multicast networks, see {@link #DEFAULT_DENIED_HOSTS}
 * @param allowedPorts    ports that may be used; empty means any
 * @param plaintextHosts  hosts that may be used without TLS ({@code Security.NONE}); matched by the name as entered
 * @param trustedHosts    hosts whose certificates are accepted without verification (self-signed servers);
 *                        matched by the name as entered. An explicit opt-out by the administrator.
 * @param maxResponseBytes the largest single IMAP response read, in bytes ({@value #MIN_MAX_RESPONSE_BYTES} to
 *                        {@value #MAX_MAX_RESPONSE_BYTES}); a larger one ends the connection with a protocol
 *                        failure before its bytes are held in memory. See {@link #DEFAULT_MAX_RESPONSE_BYTES}.
 * @param commandTimeout  the longest one IMAP command may take, from sending it to the end of its answer, however
 *                        steadily the server sends meanwhile ({@code readTimeout} bounds each wait for the next bytes
 *                        only); also the longest opening an IMAP connection (greeting, TLS, login) may take, and the
 *                        longest a whole SMTP session may take, from its socket's creation to its close (greeting,
 *                        EHLO, STARTTLS, AUTH, the messages sent, QUIT). A connection past it is closed and what
 *                        waited fails as a timeout. See {@link #DEFAULT_COMMAND_TIMEOUT}.
 */
public record ConnectorConfig(Duration connectTimeout, Duration readTimeout, Duration writeTimeout,
                              List<String> allowedHosts, List<String> deniedHosts, List<Integer> allowedPorts,
                              List<String> plaintextHosts, List<String> trustedHosts, int maxResponseBytes,
                              Duration commandTimeout) {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Loopback, "this network", private (RFC 1918), link-local (cloud metadata at 169.254.169.254),
     * carrier-grade NAT, unique-local IPv6, multicast and reserved networks.
     */
    public static final List<String> DEFAULT_DENIED_HOSTS = List.of(
            "127.0.0.0/8", "::1/128", "::/128", "0.0.0.0/8",
            "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
            "169.254.0.0/16", "fe80::/10", "fc00::/7", "100.64.0.0/10",
            "224.0.0.0/4", "ff00::/8", "240.0.0.0/4");

    /** SMTP 25, IMAP 143, SMTPS 465, submission 587, IMAPS 993, alternative submission 2525. */
    public static final List<Integer> DEFAULT_ALLOWED_PORTS = List.of(25, 143, 465, 587, 993, 2525);

    /**
     * 64 MiB: no response to what Postroom asks comes near it, while a hostile or broken server
     * (a literal of 2 GB announced, a line without end) is stopped before it costs the node's
     * memory. The largest legitimate responses, with the default limits of the other bundles:
     * <ul>
     * <li>metadata of one message: its header, fetched with at most 1 MiB ({@code BODY.PEEK[HEADER]<0.N>}),
     * and its BODYSTRUCTURE, about 1 KiB per part with long file names: some 10 MiB for the 10,000
     * parts at which Dovecot stops parsing a message;</li>
     * <li>text of one message: 4 MiB (the per-message text budget of {@code io.postroom.mime}, each
     * part at most 1 MiB, fetched with partial ranges);</li>
     * <li>{@code UID SEARCH} of a folder of a million messages: 11 bytes per UID, 11 MB;</li>
     * <li>an attachment range: 1 MiB by default, 16 MiB at most ({@code io.postroom.message});</li>
     * <li>a message without usable structure, fetched whole: at most the sync's batch bytes (8 MiB).</li>
     * </ul>
     * Each connection can hold up to this much at once (about twice as much while a growing line's
     * buffer is copied), so the limit is also what a hostile server can cost per connection.
     */
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 64 << 20;
    /** The smallest limit that may be configured: 64 KiB (tests use small limits; production needs megabytes). */
    public static final int MIN_MAX_RESPONSE_BYTES = 64 << 10;
    /** The largest limit that may be configured: 1 GiB (Angus holds a response in one array). */
    public static final int MAX_MAX_RESPONSE_BYTES = 1 << 30;

    /**
     * 10 minutes per IMAP command. The largest answers Postroom asks for in one command, with the
     * default limits of the other bundles, and the slowest link that still carries them in time:
     * <ul>
     * <li>a text batch of the sync: 8 MiB ({@code batchKilobytes} of {@code io.postroom.sync}), and as
     * much for a message without usable structure, fetched whole: 14 KB/s, about 112 kbit/s;</li>
     * <li>a metadata batch of 200 messages (a header of a few KiB and a structure of about 1 KiB
     * each): some 2 MB, 3.5 KB/s; only hostile mail (200 headers at the 1 MiB cap) needs more;</li>
     * <li>{@code UID SEARCH} of a folder of a million messages: 11 MB, about 150 kbit/s, plus the
     * server's own time to search (seconds to a minute on large Gmail or Exchange folders);</li>
     * <li>an attachment range: 1 MiB by default (16 MiB at most) of {@code io.postroom.message}.</li>
     * </ul>
     * So a server reached at 150 kbit/s or more (an overloaded mobile link; servers are normally
     * reached from a data centre at megabits) is never cut, while a server that drips its answer
     * holds a sync worker or an attachment download for at most this long per command.
     *
     * <p>It bounds a whole SMTP session too: the login test before a mailbox is saved and the
     * verification mail (a few KB) take seconds even on a slow link, so a server that drips its
     * answers holds the REST request or console command that waits for them at most this long. (The
     * message sent counts towards the session's time: one of 8 MiB would need about the same 14 KB/s.)
     */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofMinutes(10);

    private static final long MAX_MILLIS = Integer.MAX_VALUE;

    public ConnectorConfig {
        connectTimeout = timeout("connectTimeout", connectTimeout);
        readTimeout = timeout("readTimeout", readTimeout);
        writeTimeout = timeout("writeTimeout", writeTimeout);
        commandTimeout = timeout("commandTimeout", commandTimeout);
        allowedHosts = patterns("allowedHosts", allowedHosts);
        deniedHosts = patterns("deniedHosts", deniedHosts);
        plaintextHosts = patterns("plaintextHosts", plaintextHosts);
        trustedHosts = patterns("trustedHosts", trustedHosts);
        allowedPorts = allowedPorts == null ? List.of() : List.copyOf(allowedPorts);
        for (int port : allowedPorts) {
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("allowedPorts: " + port + " is not a port (1..65535)");
            }
        }
        if (maxResponseBytes < MIN_MAX_RESPONSE_BYTES || maxResponseBytes > MAX_MAX_RESPONSE_BYTES) {
            throw new IllegalArgumentException("maxResponseBytes must be between " + MIN_MAX_RESPONSE_BYTES + " and "
                    + MAX_MAX_RESPONSE_BYTES + " bytes, was " + maxResponseBytes);
        }
    }

    /** The configuration as it was before {@code commandTimeout}: that limit at its default. */
    public ConnectorConfig(Duration connectTimeout, Duration readTimeout, Duration writeTimeout,
                           List<String> allowedHosts, List<String> deniedHosts, List<Integer> allowedPorts,
                           List<String> plaintextHosts, List<String> trustedHosts, int maxResponseBytes) {
        this(connectTimeout, readTimeout, writeTimeout, allowedHosts, deniedHosts, allowedPorts, plaintextHosts,
                trustedHosts, maxResponseBytes, DEFAULT_COMMAND_TIMEOUT);
    }

    /** The configuration as it was before {@code maxResponseBytes}: that limit and the command timeout at their defaults. */
    public ConnectorConfig(Duration connectTimeout, Duration readTimeout, Duration writeTimeout,
                           List<String> allowedHosts, List<String> deniedHosts, List<Integer> allowedPorts,
                           List<String> plaintextHosts, List<String> trustedHosts) {
        this(connectTimeout, readTimeout, writeTimeout, allowedHosts, deniedHosts, allowedPorts, plaintextHosts,
                trustedHosts, DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_COMMAND_TIMEOUT);
    }

    /**
     * 15 s to connect, 60 s to read and write, 10 minutes per IMAP command and per SMTP session, private networks
     * denied, the standard mail ports only, IMAP responses of at most 64 MiB.
     */
    public static ConnectorConfig defaults() {
        return new ConnectorConfig(DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, DEFAULT_WRITE_TIMEOUT,
                List.of(), DEFAULT_DENIED_HOSTS, DEFAULT_ALLOWED_PORTS, List.of(), List.of(), DEFAULT_MAX_RESPONSE_BYTES,
                DEFAULT_COMMAND_TIMEOUT);
    }

    /** Connect, read and write timeouts; the command timeout stays. */
    public ConnectorConfig withTimeouts(Duration connect, Duration read, Duration write) {
        return new ConnectorConfig(connect, read, write, allowedHosts, deniedHosts, allowedPorts, plaintextHosts, trustedHosts,
                maxResponseBytes, commandTimeout);
    }

    /**
     * The longest one IMAP command (and the opening of an IMAP connection), or a whole SMTP session, may
     * take; see {@link #commandTimeout()}.
     */
    public ConnectorConfig withCommandTimeout(Duration timeout) {
        return new ConnectorConfig(connectTimeout, readTimeout, writeTimeout, allowedHosts, deniedHosts, allowedPorts,
                plaintextHosts, trustedHosts, maxResponseBytes, timeout);
    }

    /** The largest single IMAP response read, in bytes. */
    public ConnectorConfig withMaxResponseBytes(int bytes) {
        return new ConnectorConfig(connectTimeout, readTimeout, writeTimeout, allowedHosts, deniedHosts, allowedPorts,
                plaintextHosts, trustedHosts, bytes, commandTimeout);
    }

    public ConnectorConfig withAllowedHosts(String... hosts) {
        return new ConnectorConfig(connectTimeout, readTimeout, writeTimeout, List.of(hosts), deniedHosts, allowedPorts,
                plaintextHosts, trustedHosts, maxResponseBytes, commandTimeout);
    }

    public ConnectorConfig withDeniedHosts(String... hosts) {
        return new ConnectorConfig(connectTimeout, readTimeout, writeTimeout, allowedHosts, List.of(hosts), allowedPorts,
                plaintextHosts, trustedHosts, maxResponseBytes, commandTimeout);
    }

    /** The ports that may be used; none means any port. */
    public ConnectorConfig withAllowedPorts(int... ports) {
        List<Integer> list = Arrays.stream(ports).boxed().toList();
        return new ConnectorConfig(connectTimeout, readTimeout, writeTimeout, allowedHosts, deniedHosts, list,
                plaintextHosts, trustedHosts, maxResponseBytes, commandTimeout);
    }

    public ConnectorConfig withPlaintextHosts(String... hosts) {
        return new ConnectorConfig(connectTimeout, readTimeout, writeTimeout, allowedHosts, deniedHosts, allowedPorts,
                List.of(hosts), trustedHosts, maxResponseBytes, commandTimeout);
    }

    public ConnectorConfig withTrustedHosts(String... hosts) {
        return new ConnectorConfig(connectTimeout, readTimeout, writeTimeout, allowedHosts, deniedHosts, allowedPorts,
                plaintextHosts, List.of(hosts), maxResponseBytes, commandTimeout);
    }

    private static Duration timeout(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive (mail connections never wait forever), was " + value);
        }
        if (value.toMillis() > MAX_MILLIS) {
            throw new IllegalArgumentException(name + " is too long: at most " + MAX_MILLIS + " ms");
        }
        return value;
    }

    private static List<String> patterns(String name, List<String> entries) {
        if (entries == null) {
            return List.of();
        }
        List<String> result = new ArrayList<>(entries.size());
        for (String entry : entries) {
            if (entry == null || entry.isBlank()) {
                continue;
            }
            try {
                result.add(HostPattern.parse(entry).toString());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
            }
        }
        return List.copyOf(result);
    }
}
