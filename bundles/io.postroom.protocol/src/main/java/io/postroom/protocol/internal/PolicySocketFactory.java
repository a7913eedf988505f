package io.postroom.protocol.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import javax.net.SocketFactory;

/**
 * Plain socket factory handed to Angus Mail as {@code mail.<protocol>.socketFactory}. Its sockets
 * check the resolved address and port against the outbound policy in {@code connect}, before any
 * packet leaves. It is deliberately not an {@code SSLSocketFactory}: Angus then connects our
 * checked socket and layers TLS over it itself (SSL from the start, or on STARTTLS), with its
 * usual certificate and host name checks.
 *
 * <p>A socket created while an IMAP connection is being opened on the same thread
 * ({@link #openingFor}) reads under that connection's {@link CommandDeadline}: Angus creates the
 * socket inside its protocol's constructor, where nothing else could hand it over. Likewise a socket
 * created while an SMTP transport connects on the same thread (Angus creates it inside
 * {@code SMTPTransport.protocolConnect}, through {@code SocketFetcher.getSocket}, on the calling
 * thread) reads under the SMTP session's deadline.
 */
public final class PolicySocketFactory extends SocketFactory {
    /** The deadline of the IMAP connection (or SMTP session) this thread is opening, for the socket it creates. */
    private static final ThreadLocal<CommandDeadline> OPENING = new ThreadLocal<>();

    private final OutboundPolicy policy;
    private final int connectTimeoutMillis;

    public PolicySocketFactory(OutboundPolicy policy, int connectTimeoutMillis) {
        this.policy = policy;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    /**
     * Sockets this thread creates from now on read under {@code deadline} (null: none); returns the
     * one before, to be set again (in a {@code finally}) when the connection is open. An IMAP
     * connection's deadline goes to the next socket only (one socket per connection); an SMTP
     * session's ({@link CommandDeadline#coversSession()}) to every socket until it is set again, so that
     * no socket of the session is left without it.
     */
    static CommandDeadline openingFor(CommandDeadline deadline) {
        CommandDeadline before = OPENING.get();
        if (deadline == null) {
            OPENING.remove();
        } else {
            OPENING.set(deadline);
        }
        return before;
    }

    @Override
    public Socket createSocket() {
        CommandDeadline deadline = OPENING.get();
        if (deadline != null && !deadline.coversSession()) {
            OPENING.remove(); // one socket per IMAP connection
        }
        return new PolicySocket(policy, deadline);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = createSocket();
        connect(s, new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localHost, localPort));
        connect(s, new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = createSocket();
        connect(s, new InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = createSocket();
        s.bind(new InetSocketAddress(localAddress, localPort));
        connect(s, new InetSocketAddress(address, port));
        return s;
    }

    private void connect(Socket s, SocketAddress to) throws IOException {
        try {
            s.connect(to, connectTimeoutMillis);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public String toString() {
        // Angus puts this into error messages
        return "Postroom outbound policy socket factory";
    }

    /**
     * A socket that refuses to connect where the policy forbids, and with a {@link CommandDeadline}
     * reads under it (see {@link DeadlineInputStream}).
     */
    static final class PolicySocket extends Socket implements DeadlineInputStream.Control {
        private final OutboundPolicy policy;
        private final CommandDeadline deadline;
        private final Object lock = new Object();
        private volatile int readTimeout;
        private volatile int waiting = -1; // SO_TIMEOUT now, when set by this class
        private InputStream input;

        PolicySocket(OutboundPolicy policy, CommandDeadline deadline) {
            this.policy = policy;
            this.deadline = deadline;
            if (deadline != null) {
                deadline.attach(this);
            }
        }

        /** The deadline its reads are under; null: none (the read timeout alone). */
        CommandDeadline deadline() {
            return deadline;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            if (deadline == null) {
                return super.getInputStream();
            }
            synchronized (lock) {
                if (input == null) {
                    input = new DeadlineInputStream(super.getInputStream(), deadline, this);
                }
                return input;
            }
        }

        /** The read timeout as configured; reads under a deadline may wait less. */
        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            super.setSoTimeout(timeout);
            readTimeout = timeout;
            waiting = timeout;
        }

        @Override
        public int readTimeout() {
            return readTimeout;
        }

        @Override
        public void waitAtMost(int millis) throws SocketException {
            if (waiting != millis) {
                super.setSoTimeout(millis);
                waiting = millis;
            }
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress target)) {
                throw new OutboundPolicyException("only IP socket addresses can be checked against the outbound policy");
            }
            if (target.isUnresolved()) {
                throw new UnknownHostException(target.getHostString());
            }
            var denial = policy.denial(target.getHostString(), target.getAddress(), target.getPort());
            if (denial.isPresent()) {
                close();
                throw new OutboundPolicyException(denial.get());
            }
            super.connect(target, timeout);
        }
    }
}
