package io.postroom.testing.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed certificate for test servers on the loopback interface: {@code CN=localhost},
 * subject alternative names {@code DNS:localhost} and {@code IP:127.0.0.1}, EC P-256, valid ten
 * years. Clients do not trust it by default (which tests can check); {@link #sslContext()} gives
 * one that trusts exactly this certificate and still verifies host names.
 *
 * <p>Generated with the JDK's {@code keytool} (no extra library): about 1 s, so one certificate
 * is {@linkplain #shared() shared} per JVM.
 */
public final class TestCertificate {

    private static final char[] STORE_PASSWORD = "postroom-test".toCharArray();
    private static TestCertificate shared;

    private final X509Certificate certificate;
    private final PrivateKey privateKey;

    private TestCertificate(X509Certificate certificate, PrivateKey privateKey) {
        this.certificate = certificate;
        this.privateKey = privateKey;
    }

    /** The certificate of this JVM, generated on first use. */
    public static synchronized TestCertificate shared() {
        if (shared == null) {
            shared = generate();
        }
        return shared;
    }

    /** A new certificate and key pair (about 1 s: it runs {@code keytool}). */
    public static TestCertificate generate() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("postroom-cert-");
            Path store = dir.resolve("cert.p12");
            Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
            List<String> command = List.of(keytool.toString(), "-genkeypair", "-alias", "server",
                    "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                    "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                    "-validity", "3650", "-keystore", store.toString(), "-storetype", "PKCS12",
                    "-storepass", new String(STORE_PASSWORD), "-keypass", new String(STORE_PASSWORD));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException("keytool could not generate a test certificate: " + output);
            }
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(store)) {
                keyStore.load(in, STORE_PASSWORD);
            }
            return new TestCertificate((X509Certificate) keyStore.getCertificate("server"),
                    (PrivateKey) keyStore.getKey("server", STORE_PASSWORD));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate a test certificate", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the generated test certificate", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating a test certificate", e);
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("cert.p12"));
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a leftover empty temp directory is harmless
                }
            }
        }
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The certificate as PEM ({@code -----BEGIN CERTIFICATE-----}). */
    public String certificatePem() {
        try {
            return pem("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The unencrypted private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), for servers. */
    public String privateKeyPem() {
        return pem("PRIVATE KEY", privateKey.getEncoded());
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    /** An in-memory PKCS12 trust store holding only this certificate (password: empty). */
    public KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("postroom-test", certificate);
            return store;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a trust store", e);
        }
    }

    /** Writes {@link #trustStore()} to a PKCS12 file with the given password. */
    public Path writeTrustStore(Path file, char[] password) {
        try (var out = Files.newOutputStream(file)) {
            trustStore().store(out, password);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A TLS context that trusts exactly this certificate (and nothing else). Host names are still
     * checked by clients that check them (Angus Mail with {@code ssl.checkserveridentity}).
     */
    public SSLContext sslContext() {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context", e);
        }
    }

    /** {@code sslContext().getSocketFactory()}. */
    public SSLSocketFactory socketFactory() {
        return sslContext().getSocketFactory();
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
