package io.postroom.protocol.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of an outbound policy list: an exact host name ({@code imap.example.com}), every
 * subdomain of a name ({@code *.example.com}), an IP address ({@code 127.0.0.1}, {@code ::1}) or a
 * CIDR block ({@code 10.0.0.0/8}, {@code fc00::/7}). Parsing never asks DNS.
 */
public final class HostPattern {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+");
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*");

    private enum Type { NAME, SUFFIX, NETWORK }

    private final String text;
    private final Type type;
    private final String name;
    private final byte[] network;
    private final int prefix;

    private HostPattern(String text, Type type, String name, byte[] network, int prefix) {
        this.text = text;
        this.type = type;
        this.name = name;
        this.network = network;
        this.prefix = prefix;
    }

    /**
     * Parses one entry.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static HostPattern parse(String entry) {
        Objects.requireNonNull(entry, "entry");
        String text = entry.strip().toLowerCase(Locale.ROOT);
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty host pattern");
        }
        int slash = text.indexOf('/');
        if (slash >= 0) {
            InetAddress address = ipLiteral(text.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("'" + entry + "' is not a CIDR block such as 10.0.0.0/8 or fc00::/7");
            }
            int bits = address.getAddress().length * 8;
            int prefix;
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + entry + "' has a prefix length outside 0.." + bits);
            }
            return new HostPattern(text, Type.NETWORK, null, address.getAddress(), prefix);
        }
        InetAddress address = ipLiteral(text);
        if (address != null) {
            return new HostPattern(text, Type.NETWORK, null, address.getAddress(), address.getAddress().length * 8);
        }
        if (text.startsWith("*.")) {
            String suffix = normaliseName(text.substring(2));
            if (!NAME.matcher(suffix).matches()) {
                throw new IllegalArgumentException("'" + entry + "' is not a host name pattern such as *.example.com");
            }
            return new HostPattern(text, Type.SUFFIX, suffix, null, 0);
        }
        String host = normaliseName(text);
        if (!NAME.matcher(host).matches()) {
            throw new IllegalArgumentException("'" + entry + "' is not a host name, *.domain, IP address or CIDR block");
        }
        return new HostPattern(text, Type.NAME, host, null, 0);
    }

    /** Whether the host, as the user typed it, matches this pattern (IP patterns match IP literals). */
    public boolean matchesName(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String h = normaliseName(host.strip().toLowerCase(Locale.ROOT));
        return switch (type) {
            case NAME -> h.equals(name);
            case SUFFIX -> h.endsWith("." + name);
            case NETWORK -> {
                InetAddress literal = ipLiteral(h);
                yield literal != null && matchesAddress(literal);
            }
        };
    }

    /** Whether a resolved address lies in this pattern's address or block (name patterns never match). */
    public boolean matchesAddress(InetAddress address) {
        if (type != Type.NETWORK || address == null) {
            return false;
        }
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            InetAddress v4 = embeddedIpv4(address);
            if (v4 == null || network.length != 4) {
                return false;
            }
            a = v4.getAddress();
        }
        int full = prefix / 8;
        for (int i = 0; i < full; i++) {
            if (a[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[full] & mask) == (network[full] & mask);
    }

    public boolean isAddressPattern() {
        return type == Type.NETWORK;
    }

    /**
     * The IPv4 address an IPv6 address stands for, or null: IPv4-compatible ({@code ::127.0.0.1}),
     * IPv4-mapped ({@code ::ffff:127.0.0.1}, which a DNS AAAA answer may hold and the JDK leaves as
     * IPv6), NAT64's well-known prefix ({@code 64:ff9b::/96}, RFC 6052) and 6to4 ({@code 2002::/16},
     * RFC 3056). A connection to any of them can reach that IPv4 address, so the IPv4 blocks apply.
     */
    static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return null;
        }
        byte[] b = v6.getAddress();
        byte[] v4;
        if (v6.isIPv4CompatibleAddress() || zeros(b, 0, 10) && b[10] == (byte) 0xff && b[11] == (byte) 0xff
                || b[0] == 0 && b[1] == 0x64 && b[2] == (byte) 0xff && b[3] == (byte) 0x9b && zeros(b, 4, 12)) {
            v4 = new byte[] {b[12], b[13], b[14], b[15]};
        } else if (b[0] == 0x20 && b[1] == 0x02) {
            v4 = new byte[] {b[2], b[3], b[4], b[5]};
        } else {
            return null;
        }
        try {
            return InetAddress.getByAddress(v4);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean zeros(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** Parses an IPv4 or IPv6 literal (brackets allowed) without DNS; null when it is no literal. */
    public static InetAddress ipLiteral(String text) {
        String t = text.strip();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        var m = IPV4.matcher(t);
        if (m.matches()) {
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(m.group(i + 1));
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            try {
                return Inet4Address.getByAddress(b);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        String lower = t.toLowerCase(Locale.ROOT);
        if (lower.indexOf(':') >= 0 && IPV6.matcher(lower).matches()) {
            try {
                // a literal containing ':' is parsed, never looked up
                return InetAddress.getByName(lower);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static String normaliseName(String host) {
        return host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    }

    @Override
    public String toString() {
        return text;
    }
}
