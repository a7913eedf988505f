package io.postroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SpecialUse;
import jakarta.mail.Folder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IMAP STARTTLS, SPECIAL-USE and CONDSTORE against a real Dovecot (GreenMail 2.1 has none of them). */
class DovecotConnectorTest {
    @TempDir
    static Path dir;
    private static TestDovecot dovecot;
    private static TestTls tls;
    private static final MailConnector CONNECTOR = MailConnectors.create(TestGreenMail.loopbackConfig());
    private static final Credentials ALICE = new Credentials(TestDovecot.USER, Secret.of(TestDovecot.PASSWORD));

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(TestDovecot.available(), "Dovecot is not installed at " + TestDovecot.BINARY
                + ": skipping the STARTTLS / SPECIAL-USE tests (apt-get install dovecot-imapd)");
        tls = TestTls.localhost();
        dovecot = TestDovecot.start(dir, tls);
    }

    @AfterAll
    static void stop() throws Exception {
        if (dovecot != null) {
            dovecot.close();
        }
    }

    @Test
    void starttlsWithAVerifiedCertificateListsSpecialUseFolders() throws Exception {
        TestTls.withDefaultTrust(tls.keyStore, () -> {
            try (ImapConnection imap = CONNECTOR.openImap(dovecot.endpoint(Security.STARTTLS), ALICE)) {
                assertThat(imap.capabilities()).contains("IMAP4REV1", "CONDSTORE", "QRESYNC", "SPECIAL-USE", "UIDPLUS", "MOVE");
                assertThat(imap.capabilities()).doesNotContain("STARTTLS"); // announced before TLS only
                assertThat(imap.hasCapability("condstore")).isTrue();

                Folder parent = imap.store().getFolder("Projects/Acme");
                if (!parent.exists()) {
                    parent.create(Folder.HOLDS_MESSAGES);
                }
                List<RemoteFolder> folders = imap.listFolders();
                assertThat(folders.get(0).name()).isEqualTo("INBOX");
                Map<String, RemoteFolder> byName = folders.stream().collect(Collectors.toMap(RemoteFolder::name, Function.identity()));
                assertThat(byName.get("Sent").specialUse()).containsExactly(SpecialUse.SENT);
                assertThat(byName.get("Drafts").specialUse()).containsExactly(SpecialUse.DRAFTS);
                assertThat(byName.get("Trash").specialUse()).containsExactly(SpecialUse.TRASH);
                assertThat(byName.get("Junk").specialUse()).containsExactly(SpecialUse.JUNK);
                assertThat(byName.get("Archive").specialUse()).containsExactly(SpecialUse.ARCHIVE);
                assertThat(byName.get("INBOX").specialUse()).isEmpty();
                assertThat(byName.get("Projects/Acme").selectable()).isTrue();
                if (byName.containsKey("Projects")) {
                    assertThat(byName.get("Projects").selectable()).isFalse();
                }
            }
            return null;
        });
    }

    @Test
    void starttlsWithAnUntrustedCertificateIsRefused() {
        assertThatThrownBy(() -> CONNECTOR.openImap(dovecot.endpoint(Security.STARTTLS), ALICE))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
                    assertThat(e.failure().step()).isEqualTo(Step.TLS);
                });
    }

    @Test
    void wrongPasswordOverStarttls() throws Exception {
        MailConnector trusting = MailConnectors.create(TestGreenMail.loopbackConfig().withTrustedHosts("127.0.0.1"));
        Credentials wrong = new Credentials(TestDovecot.USER, Secret.of("wrong-password"));
        assertThatThrownBy(() -> trusting.openImap(dovecot.endpoint(Security.STARTTLS), wrong))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.AUTHENTICATION);
                    assertThat(e.failure().step()).isEqualTo(Step.LOGIN);
                    assertThat(e.failure().detail()).contains("AUTHENTICATIONFAILED");
                });
    }
}
