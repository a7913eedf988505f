package io.postroom.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SpecialUse;
import io.postroom.testing.dovecot.Dovecot;
import io.postroom.testing.dovecot.DovecotExtension;
import io.postroom.testing.dovecot.DovecotUser;
import jakarta.mail.Folder;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** IMAP STARTTLS, SPECIAL-USE and CONDSTORE against a real Dovecot (GreenMail 2.1 has none of them). */
class DovecotConnectorTest {
    /** Skips the class where Dovecot is not installed. */
    @RegisterExtension
    static final DovecotExtension DOVECOT = DovecotExtension.perClass();
    private static final MailConnector CONNECTOR = MailConnectors.create(TestGreenMail.loopbackConfig());
    private static DovecotUser alice;

    @BeforeAll
    static void newUser() {
        alice = DOVECOT.dovecot().newUser();
    }

    private static Endpoint starttls() {
        return new Endpoint(Dovecot.HOST, DOVECOT.dovecot().imapPort(), Security.STARTTLS);
    }

    private static Credentials credentials(String password) {
        return new Credentials(alice.name(), Secret.of(password));
    }

    @Test
    void starttlsWithAVerifiedCertificateListsSpecialUseFolders() throws Exception {
        TestTls.withDefaultTrust(DOVECOT.dovecot().testCertificate().trustStore(), () -> {
            try (ImapConnection imap = CONNECTOR.openImap(starttls(), credentials(alice.password()))) {
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
        assertThatThrownBy(() -> CONNECTOR.openImap(starttls(), credentials(alice.password())))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.UNTRUSTED_CERTIFICATE);
                    assertThat(e.failure().step()).isEqualTo(Step.TLS);
                });
    }

    @Test
    void wrongPasswordOverStarttls() throws Exception {
        MailConnector trusting = MailConnectors.create(TestGreenMail.loopbackConfig().withTrustedHosts("127.0.0.1"));
        assertThatThrownBy(() -> trusting.openImap(starttls(), credentials("wrong-password")))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Kind.AUTHENTICATION);
                    assertThat(e.failure().step()).isEqualTo(Step.LOGIN);
                    assertThat(e.failure().detail()).contains("AUTHENTICATIONFAILED");
                });
    }
}
