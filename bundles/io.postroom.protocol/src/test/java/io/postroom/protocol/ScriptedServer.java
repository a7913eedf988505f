package io.postroom.protocol;

import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Security;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A tiny mail server on loopback that answers what a test scripts: reply codes GreenMail cannot
 * give (421 greetings, 4yz and 5yz replies, IMAP [UNAVAILABLE]) and SMTP STARTTLS, which GreenMail
 * 2.1 does not offer, and IMAP servers that drip their answers (a few bytes, a pause, a few bytes:
 * never silent for a read timeout, never done). It records every line it receives.
 */
abstract class ScriptedServer implements AutoCloseable {
    private final ServerSocket server;
    private final Thread acceptor;
    /** Every line received, in order, over all connections. */
    final List<String> received = Collections.synchronizedList(new ArrayList<>());

    ScriptedServer() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        acceptor = new Thread(this::acceptLoop, getClass().getSimpleName());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Endpoint endpoint(Security security) {
        return new Endpoint("127.0.0.1", server.getLocalPort(), security);
    }

    boolean receivedStartingWith(String prefix) {
        synchronized (received) {
            return received.stream().anyMatch(l -> l.toUpperCase(Locale.ROOT).startsWith(prefix.toUpperCase(Locale.ROOT)));
        }
    }

    int indexOfLineStartingWith(String prefix) {
        synchronized (received) {
            for (int i = 0; i < received.size(); i++) {
                if (received.get(i).toUpperCase(Locale.ROOT).startsWith(prefix.toUpperCase(Locale.ROOT))) {
                    return i;
                }
            }
            return -1;
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> {
                    try (Conversation c = new Conversation(s)) {
                        converse(c);
                    } catch (IOException | RuntimeException e) {
                        // the client hung up or the handshake failed: the test looks at the client side
                    }
                }, getClass().getSimpleName() + "-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Talks to one client. */
    abstract void converse(Conversation c) throws IOException;

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** One connection: lines in and out, and an upgrade to TLS. */
    final class Conversation implements AutoCloseable {
        private Socket socket;
        private BufferedReader in;
        private OutputStream out;
        boolean secure;

        Conversation(Socket socket) throws IOException {
            socket.setSoTimeout(20_000);
            attach(socket);
        }

        private void attach(Socket s) throws IOException {
            socket = s;
            in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            out = s.getOutputStream();
        }

        String read() throws IOException {
            String line = in.readLine();
            if (line != null) {
                received.add(line);
            }
            return line;
        }

        void send(String... lines) throws IOException {
            StringBuilder b = new StringBuilder();
            for (String l : lines) {
                b.append(l).append("\r\n");
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        /**
         * Sends {@code start} and then 'x' without end (no CRLF) until the client hangs up, or at
         * most {@code cap} bytes (so that a test that fails does not leave a thread writing for ever).
         */
        void sendEndless(String start, long cap) throws IOException {
            out.write(start.getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[64 * 1024];
            java.util.Arrays.fill(chunk, (byte) 'x');
            for (long sent = 0; sent < cap; sent += chunk.length) {
                out.write(chunk);
            }
            out.flush();
        }

        /**
         * Sends {@code text} a byte at a time with {@code pauseMillis} between the bytes (flushed
         * each time, as a server that drips its answer does); stops early when the client hung up.
         */
        void drip(String text, long pauseMillis) throws IOException {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            for (byte b : bytes) {
                out.write(b);
                out.flush();
                try {
                    Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** Reads and drops whatever the client sends until it hangs up (a server that never answers). */
        void stayQuiet() {
            try {
                while (socket.getInputStream().read() >= 0) {
                    // nothing to say
                }
            } catch (IOException e) {
                // the client hung up
            }
        }

        void startTls(SSLContext context) throws IOException {
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
            ssl.setUseClientMode(false);
            ssl.startHandshake();
            attach(ssl);
            secure = true;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** An SMTP server: EHLO, optional STARTTLS, AUTH PLAIN, MAIL, RCPT, DATA, with scripted replies. */
    static final class Smtp extends ScriptedServer {
        volatile String greeting = "220 scripted ESMTP";
        volatile SSLContext tls;
        volatile boolean offerAuth = true;
        volatile String authReply = "235 2.7.0 Authentication successful";
        volatile String mailReply = "250 2.1.0 Ok";
        volatile String rcptReply = "250 2.1.5 Ok";
        volatile int messages;

        Smtp() throws IOException {
            super();
        }

        @Override
        void converse(Conversation c) throws IOException {
            c.send(greeting);
            if (!greeting.startsWith("220")) {
                return;
            }
            String line;
            while ((line = c.read()) != null) {
                String command = line.toUpperCase(Locale.ROOT);
                if (command.startsWith("EHLO")) {
                    List<String> ext = new ArrayList<>(List.of("scripted", "8BITMIME"));
                    if (tls != null && !c.secure) {
                        ext.add("STARTTLS");
                    }
                    if (offerAuth && (tls == null || c.secure)) {
                        ext.add("AUTH PLAIN");
                    }
                    String[] lines = new String[ext.size()];
                    for (int i = 0; i < ext.size(); i++) {
                        lines[i] = (i == ext.size() - 1 ? "250 " : "250-") + ext.get(i);
                    }
                    c.send(lines);
                } else if (command.startsWith("HELO") || command.startsWith("RSET") || command.startsWith("NOOP")) {
                    c.send("250 Ok");
                } else if (command.startsWith("STARTTLS") && tls != null) {
                    c.send("220 2.0.0 Ready to start TLS");
                    c.startTls(tls);
                } else if (command.startsWith("AUTH")) {
                    c.send(authReply);
                } else if (command.startsWith("MAIL")) {
                    c.send(mailReply);
                } else if (command.startsWith("RCPT")) {
                    c.send(rcptReply);
                } else if (command.startsWith("DATA")) {
                    c.send("354 End data with <CR><LF>.<CR><LF>");
                    String data;
                    while ((data = c.read()) != null && !data.equals(".")) {
                        // the message
                    }
                    messages++;
                    c.send("250 2.0.0 Ok: queued");
                } else if (command.startsWith("QUIT")) {
                    c.send("221 2.0.0 Bye");
                    return;
                } else {
                    c.send("502 5.5.2 Error: command not recognized");
                }
            }
        }
    }

    /**
     * An IMAP server that greets as scripted and answers LOGIN (and LIST, when given) as scripted;
     * with {@link #tls}, TLS from the first byte (imaps).
     */
    static final class Imap extends ScriptedServer {
        volatile String greeting = "* OK [CAPABILITY IMAP4rev1] scripted ready";
        volatile String loginReply = "OK Logged in";
        /** The answer to LIST; null: no folders. */
        volatile Reply listReply;
        /** TLS from the first byte (imaps); null: plain text. */
        volatile SSLContext tls;
        /** With {@link #tls}: never answer the client's TLS hello (the handshake waits). */
        volatile boolean quietHandshake;
        /** Above zero: the greeting is sent a byte at a time, this many milliseconds apart. */
        volatile long greetingDripMillis;
        /** Above zero: the answer to LOGIN is sent a byte at a time, this many milliseconds apart. */
        volatile long loginDripMillis;

        /** A scripted answer to one command. */
        @FunctionalInterface
        interface Reply {
            void answer(Conversation c, String tag) throws IOException;
        }

        Imap() throws IOException {
            super();
        }

        @Override
        void converse(Conversation c) throws IOException {
            if (tls != null) {
                if (quietHandshake) {
                    c.stayQuiet();
                    return;
                }
                c.startTls(tls);
            }
            if (greetingDripMillis > 0) {
                c.drip(greeting + "\r\n", greetingDripMillis);
            } else {
                c.send(greeting);
            }
            if (greeting.startsWith("* BYE")) {
                return;
            }
            String line;
            while ((line = c.read()) != null) {
                String[] parts = line.split(" ", 3);
                String tag = parts[0];
                String command = parts.length > 1 ? parts[1].toUpperCase(Locale.ROOT) : "";
                switch (command) {
                    case "CAPABILITY" -> c.send("* CAPABILITY IMAP4rev1", tag + " OK done");
                    case "LOGIN" -> {
                        if (loginDripMillis > 0) {
                            c.drip(tag + " " + loginReply + "\r\n", loginDripMillis);
                        } else {
                            c.send(tag + " " + loginReply);
                        }
                    }
                    case "LIST" -> {
                        Reply reply = listReply;
                        if (reply == null) {
                            c.send(tag + " OK done");
                        } else {
                            reply.answer(c, tag);
                        }
                    }
                    case "LOGOUT" -> {
                        c.send("* BYE bye", tag + " OK done");
                        return;
                    }
                    default -> c.send(tag + " BAD unknown command");
                }
            }
        }
    }
}
