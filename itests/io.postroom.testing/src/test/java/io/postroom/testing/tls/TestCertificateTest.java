package io.postroom.testing.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class TestCertificateTest {

    @Test
    void isSelfSignedForLocalhostAndLoopback() throws Exception {
        TestCertificate certificate = TestCertificate.shared();
        assertThat(TestCertificate.shared()).isSameAs(certificate);
        assertThat(certificate.certificate().getSubjectX500Principal()).isEqualTo(certificate.certificate().getIssuerX500Principal());
        assertThat(certificate.certificate().getSubjectAlternativeNames())
                .contains(List.of(2, "localhost"), List.of(7, "127.0.0.1"));
        assertThat(certificate.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n");
        assertThat(certificate.privateKeyPem()).startsWith("-----BEGIN PRIVATE KEY-----\n");
        assertThat(certificate.trustStore().size()).isEqualTo(1);
        assertThat(certificate.sslContext().getSocketFactory()).isNotNull();
    }
}
