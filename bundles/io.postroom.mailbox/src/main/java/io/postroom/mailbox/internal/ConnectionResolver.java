package io.postroom.mailbox.internal;

import io.postroom.api.EmailAddress;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.ConnectionUpdate;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Preset;
import io.postroom.api.mailbox.Security;
import java.net.IDN;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns what a user typed into a complete connection: the preset's servers where fields are
 * blank, the standard port of the chosen security where the port is blank, the address as user
 * name where that is blank, and every field checked. Errors name the field at fault.
 */
final class ConnectionResolver {
    static final int MAX_USERNAME = 320;
    private static final int MAX_HOST = 253;
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]+(%[a-z0-9]+)?");

    private ConnectionResolver() {
    }

    static ResolvedConnection resolve(ConnectionRequest r) {
        Preset preset = Presets.find(r.preset());
        EmailAddress address = address(r.address());
        Secret password = password(r.password());
        String username = username(r.username(), address);
        Endpoint imap = endpoint("imap", preset.imap(), r.imapHost(), r.imapPort(), r.imapSecurity(), Security.SSL, true);
        Endpoint smtp = endpoint("smtp", preset.smtp(), r.smtpHost(), r.smtpPort(), r.smtpSecurity(), Security.STARTTLS, false);
        return new ResolvedConnection(preset.id(), address, username, password, imap, smtp);
    }

    /** A saved connection with the non-null fields of {@code u} applied; checked as on creation. */
    static ResolvedConnection merge(ResolvedConnection current, ConnectionUpdate u) {
        String username = u.username() == null ? current.username() : username(u.username(), current.address());
        Endpoint imap = merge("imap", current.imap(), u.imapHost(), u.imapPort(), u.imapSecurity(), true);
        Endpoint smtp = merge("smtp", current.smtp(), u.smtpHost(), u.smtpPort(), u.smtpSecurity(), false);
        if (u.password() == null && (!sameHost(imap, current.imap()) || !sameHost(smtp, current.smtp()))) {
            // the saved password goes only to the servers it was entered for: whoever changes the
            // server (a borrowed session, a script) must know it
            throw PostroomException.invalid(ErrorCode.BLANK_PASSWORD, "password",
                    "Enter the password again to change the server: the saved password is only sent to the server"
                            + " it was entered for.");
        }
        Secret password = u.password() == null ? current.password() : password(u.password());
        return new ResolvedConnection(current.preset(), current.address(), username, password, imap, smtp);
    }

    static EmailAddress address(String raw) {
        try {
            return EmailAddress.of(raw);
        } catch (PostroomException e) {
            throw new PostroomException(e.code(), e.getMessage(), Map.of("field", "address"));
        }
    }

    static Secret password(Secret password) {
        if (password == null || password.isBlank()) {
            throw PostroomException.invalid(ErrorCode.BLANK_PASSWORD, "password", "Enter the password (or app password) of the account.");
        }
        if (TextRules.hasLineBreak(password.reveal())) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "password", "The password must not contain line breaks.");
        }
        return password;
    }

    static String username(String raw, EmailAddress address) {
        if (raw == null || raw.isBlank()) {
            return address.value();
        }
        return TextRules.headerSafe("username", "user name", raw, MAX_USERNAME);
    }

    private static Endpoint endpoint(String protocol, Endpoint preset, String host, Integer port, Security security,
                                     Security customSecurity, boolean imap) {
        String hostField = protocol + "Host";
        String resolvedHost;
        if (host != null && !host.isBlank()) {
            resolvedHost = host(hostField, host);
        } else if (preset != null) {
            resolvedHost = preset.host();
        } else {
            throw PostroomException.invalid(ErrorCode.INVALID_HOST, hostField,
                    "Enter the " + protocol.toUpperCase(Locale.ROOT) + " server of your provider (such as "
                            + protocol + ".example.com).");
        }
        Security resolvedSecurity = security != null ? security : preset != null ? preset.security() : customSecurity;
        int resolvedPort;
        if (port != null) {
            resolvedPort = port(protocol + "Port", port);
        } else if (preset != null && security == null) {
            resolvedPort = preset.port();
        } else {
            resolvedPort = imap ? resolvedSecurity.defaultImapPort() : resolvedSecurity.defaultSmtpPort();
        }
        return new Endpoint(resolvedHost, resolvedPort, resolvedSecurity);
    }

    private static Endpoint merge(String protocol, Endpoint current, String host, Integer port, Security security,
                                  boolean imap) {
        String h = host == null ? current.host() : host(protocol + "Host", host);
        Security s = security == null ? current.security() : security;
        int p;
        if (port != null) {
            p = port(protocol + "Port", port);
        } else if (security != null && security != current.security()) {
            p = imap ? s.defaultImapPort() : s.defaultSmtpPort();
        } else {
            p = current.port();
        }
        return new Endpoint(h, p, s);
    }

    private static boolean sameHost(Endpoint a, Endpoint b) {
        return a.host().equalsIgnoreCase(b.host());
    }

    static int port(String field, int port) {
        if (port < 1 || port > 65535) {
            throw new PostroomException(ErrorCode.INVALID_PORT,
                    "A port is a number from 1 to 65535, not " + port + "; leave it blank for the standard port.",
                    Map.of("field", field));
        }
        return port;
    }

    /** A host name (IDN allowed, kept in ASCII form), an IPv4 address or an IPv6 literal, in lower case. */
    static String host(String field, String raw) {
        if (TextRules.hasLineBreak(raw)) {
            throw PostroomException.invalid(ErrorCode.HEADER_INJECTION, field, "A server name must not contain line breaks.");
        }
        String h = raw.strip().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.isEmpty()) {
            throw PostroomException.invalid(ErrorCode.INVALID_HOST, field, "The server name is empty.");
        }
        if (h.contains(":")) {
            if (IPV6.matcher(h).matches() && h.chars().filter(c -> c == ':').count() >= 2) {
                return h;
            }
            throw invalidHost(field, h, "it is neither a host name nor an IP address (leave the port out, it has its own field)");
        }
        if (IPV4.matcher(h).matches()) {
            for (String octet : h.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw invalidHost(field, h, "it is not a valid IPv4 address");
                }
            }
            return h;
        }
        String ascii;
        try {
            ascii = IDN.toASCII(h, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw invalidHost(field, h, "it contains characters a host name cannot have");
        }
        if (ascii.isEmpty() || ascii.length() > MAX_HOST) {
            throw invalidHost(field, h, "a host name has 1 to " + MAX_HOST + " characters");
        }
        for (String label : ascii.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                throw invalidHost(field, h, "each part between dots must be letters, digits or inner hyphens");
            }
        }
        return ascii;
    }

    private static PostroomException invalidHost(String field, String host, String why) {
        String shown = host.length() > 60 ? host.substring(0, 60) + "…" : host;
        return PostroomException.invalid(ErrorCode.INVALID_HOST, field,
                "'" + shown + "' is not a valid server name: " + why + ".");
    }
}
