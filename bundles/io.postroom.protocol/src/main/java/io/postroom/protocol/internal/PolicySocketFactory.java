package io.postroom.protocol.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import javax.net.SocketFactory;

/**
 * Plain socket factory handed to Angus Mail as {@code mail.<protocol>.socketFactory}. Its sockets
 * check the resolved address and port against the outbound policy in {@code connect}, before any
 * packet leaves. It is deliberately not an {@code SSLSocketFactory}: Angus then connects our
 * checked socket and layers TLS over it itself (SSL from the start, or on STARTTLS), with its
 * usual certificate and host name checks.
 */
public final class PolicySocketFactory extends SocketFactory {
    private final OutboundPolicy policy;
    private final int connectTimeoutMillis;

    public PolicySocketFactory(OutboundPolicy policy, int connectTimeoutMillis) {
        this.policy = policy;
        this.connectTimeoutMillis = connectTimeoutMillis;
    }

    @Override
    public Socket createSocket() {
        return new PolicySocket(policy);
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

    /** A socket that refuses to connect where the policy forbids. */
    static final class PolicySocket extends Socket {
        private final OutboundPolicy policy;

        PolicySocket(OutboundPolicy policy) {
            this.policy = policy;
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
