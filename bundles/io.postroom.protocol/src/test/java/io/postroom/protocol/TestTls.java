package io.postroom.protocol;

import io.postroom.testing.tls.TestCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for TLS tests: the shared test certificate for localhost / 127.0.0.1
 * ({@link TestCertificate#shared()}, the one the test Dovecot serves too), GreenMail's own
 * self-signed certificate (no subject alternative names), and client contexts that trust either.
 */
final class TestTls {
    static final char[] PASSWORD = "changeit".toCharArray();
    private static TestTls localhost;

    final KeyStore keyStore;

    private TestTls(KeyStore keyStore) {
        this.keyStore = keyStore;
    }

    /** A certificate with subject alternative names localhost and 127.0.0.1, with its key. */
    static synchronized TestTls localhost() throws Exception {
        if (localhost == null) {
            TestCertificate certificate = TestCertificate.shared();
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("localhost", certificate.privateKey(), PASSWORD, new Certificate[] {certificate.certificate()});
            localhost = new TestTls(ks);
        }
        return localhost;
    }

    /** The key store GreenMail serves IMAPS and SMTPS with. */
    static KeyStore greenMail() {
        try (InputStream in = TestTls.class.getClassLoader().getResourceAsStream("greenmail.p12")) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            return ks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    SSLContext serverContext() throws GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** A client context whose only trust anchors are the certificates in {@code keyStore}. */
    static SSLContext trusting(KeyStore keyStore) throws GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try {
            trust.load(null, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var aliases = keyStore.aliases();
        while (aliases.hasMoreElements()) {
            String alias = aliases.nextElement();
            Certificate c = keyStore.getCertificate(alias);
            if (c != null) {
                trust.setCertificateEntry(alias, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * Runs {@code work} while the JVM's default TLS context (what Angus verifies servers with)
     * trusts the given certificates, as a real CA-issued certificate would be trusted.
     */
    static <T> T withDefaultTrust(KeyStore certificates, Callable<T> work) throws Exception {
        SSLContext previous = SSLContext.getDefault();
        SSLContext.setDefault(trusting(certificates));
        try {
            return work.call();
        } finally {
            SSLContext.setDefault(previous);
        }
    }
}
