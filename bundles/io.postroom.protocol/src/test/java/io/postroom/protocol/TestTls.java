package io.postroom.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.concurrent.Callable;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates for TLS tests: a self-signed certificate for localhost / 127.0.0.1 made once per
 * test JVM with the JDK's keytool (also written as PEM for Dovecot), GreenMail's own self-signed
 * certificate (no subject alternative names), and client contexts that trust either.
 */
final class TestTls {
    static final char[] PASSWORD = "changeit".toCharArray();
    private static TestTls localhost;

    final KeyStore keyStore;
    final Path certPem;
    final Path keyPem;

    private TestTls(KeyStore keyStore, Path certPem, Path keyPem) {
        this.keyStore = keyStore;
        this.certPem = certPem;
        this.keyPem = keyPem;
    }

    /** A certificate with subject alternative names localhost and 127.0.0.1. */
    static synchronized TestTls localhost() throws Exception {
        if (localhost == null) {
            Path dir = Files.createTempDirectory("postroom-tls");
            dir.toFile().deleteOnExit();
            Path p12 = dir.resolve("localhost.p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "localhost", "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "3", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-keystore", p12.toString(), "-storetype", "PKCS12", "-storepass", new String(PASSWORD),
                    "-keypass", new String(PASSWORD))
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(p12)) {
                ks.load(in, PASSWORD);
            }
            Path cert = dir.resolve("cert.pem");
            Path key = dir.resolve("key.pem");
            Files.writeString(cert, pem("CERTIFICATE", ks.getCertificate("localhost").getEncoded()));
            Files.writeString(key, pem("PRIVATE KEY", ks.getKey("localhost", PASSWORD).getEncoded()));
            for (Path p : new Path[] {p12, cert, key}) {
                p.toFile().deleteOnExit();
            }
            localhost = new TestTls(ks, cert, key);
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

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
