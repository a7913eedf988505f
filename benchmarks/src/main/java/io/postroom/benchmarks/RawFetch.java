package io.postroom.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The limit: a minimal IMAP client on a plain socket that logs in, EXAMINEs the folder and sends
 * one {@code UID FETCH 1:* (<items>)}, reading the answer as fast as it comes: every literal is
 * skipped unread (counted only), nothing is parsed beyond line ends and literal lengths.
 */
final class RawFetch {
    private static final int BUFFER = 256 * 1024;

    /** What one fetch read. */
    record Result(long messages, long literalBytes, long wireBytes, long nanos) {
        double seconds() {
            return nanos / 1e9;
        }

        double messagesPerSecond() {
            return messages / seconds();
        }
    }

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    RawFetch(String host, int port, String user, String password) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.password = password;
    }

    /** {@code UID FETCH 1:* (BODY.PEEK[])}: every message whole. */
    Result fetchAll(String folder) throws IOException {
        return fetch(folder, "BODY.PEEK[]");
    }

    /** Timed from sending the FETCH to its tagged OK (login and EXAMINE are not timed). */
    Result fetch(String folder, String items) throws IOException {
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setReceiveBufferSize(4 * 1024 * 1024);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(300_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            Reader reader = new Reader(in);
            reader.line(); // greeting
            command(out, reader, "a1", "LOGIN " + quote(user) + " " + quote(password));
            command(out, reader, "a2", "EXAMINE " + quote(folder));
            long start = System.nanoTime();
            out.write(("a3 UID FETCH 1:* (" + items + ")\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            long messages = 0;
            while (true) {
                String line = reader.line();
                if (line.startsWith("a3 ")) {
                    if (!line.startsWith("a3 OK")) {
                        throw new IOException("FETCH failed: " + line);
                    }
                    break;
                }
                if (line.startsWith("* ") && line.contains(" FETCH ")) {
                    messages++;
                }
            }
            long nanos = System.nanoTime() - start;
            command(out, reader, "a4", "LOGOUT");
            return new Result(messages, reader.literalBytes, reader.wireBytes, nanos);
        }
    }

    /** Nanoseconds for the smallest useful conversation: connect, LOGIN, STATUS of the folder, LOGOUT. */
    long status(String folder) throws IOException {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(60_000);
            OutputStream out = socket.getOutputStream();
            Reader reader = new Reader(socket.getInputStream());
            reader.line();
            command(out, reader, "s1", "LOGIN " + quote(user) + " " + quote(password));
            command(out, reader, "s2", "STATUS " + quote(folder) + " (MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ)");
            command(out, reader, "s3", "LOGOUT");
        }
        return System.nanoTime() - start;
    }

    private static void command(OutputStream out, Reader reader, String tag, String command) throws IOException {
        out.write((tag + " " + command + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (true) {
            String line = reader.line();
            if (line.startsWith(tag + " ")) {
                if (!line.startsWith(tag + " OK")) {
                    throw new IOException(command.split(" ")[0] + " failed: " + line);
                }
                return;
            }
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * Reads one logical response line from its own large buffer: the text outside literals (the
     * first 200 bytes are kept, enough for tags and "FETCH"); literals ({@code {n}} at a line end)
     * are skipped without looking at them.
     */
    private static final class Reader {
        private final InputStream in;
        private final byte[] buffer = new byte[BUFFER];
        private int pos;
        private int limit;
        private final StringBuilder text = new StringBuilder(256);
        long literalBytes;
        long wireBytes;

        Reader(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            int n = in.read(buffer, 0, buffer.length);
            if (n < 0) {
                return false;
            }
            pos = 0;
            limit = n;
            wireBytes += n;
            return true;
        }

        String line() throws IOException {
            text.setLength(0);
            while (true) {
                // one physical line; a literal announced at its end follows it
                long literal = -1;
                int prev = -1;
                boolean ended = false;
                while (!ended) {
                    if (pos >= limit && !fill()) {
                        throw new IOException("connection closed by the server");
                    }
                    while (pos < limit) {
                        int c = buffer[pos++];
                        if (c == '\n') {
                            ended = true;
                            break;
                        }
                        if (text.length() < 200) {
                            text.append((char) (c & 0xFF));
                        }
                        if (c == '{') {
                            literal = 0;
                        } else if (literal >= 0 && c >= '0' && c <= '9') {
                            literal = literal * 10 + (c - '0');
                        } else if (!(literal >= 0 && (c == '}' || c == '\r' || c == '+'))) {
                            literal = -1;
                        }
                        prev = c;
                    }
                }
                if (literal >= 0 && prev == '\r') {
                    literalBytes += literal;
                    long left = literal;
                    while (left > 0) {
                        if (pos >= limit && !fill()) {
                            throw new IOException("connection closed inside a literal");
                        }
                        int take = (int) Math.min(left, limit - pos);
                        pos += take;
                        left -= take;
                    }
                    continue; // the response goes on after the literal
                }
                return text.toString().strip();
            }
        }
    }
}
