package io.postroom.mailbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.ConnectionUpdate;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Security;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConnectionResolverTest {
    private static final Secret PW = Secret.of("app-password");

    static ConnectionRequest custom(String imapHost, Integer imapPort, Security imapSecurity, String smtpHost,
                                    Integer smtpPort, Security smtpSecurity) {
        return new ConnectionRequest("custom", "me@example.com", null, PW, imapHost, imapPort, imapSecurity, smtpHost,
                smtpPort, smtpSecurity);
    }

    static void refused(ErrorCode code, String field, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PostroomException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            if (field != null) {
                assertThat(e.details()).containsEntry("field", field);
            }
            assertThat(e.getMessage()).doesNotContain("app-password");
        });
    }

    @ParameterizedTest
    @CsvSource({
        "gmail, imap.gmail.com, 993, SSL, smtp.gmail.com, 587, STARTTLS",
        "outlook, outlook.office365.com, 993, SSL, smtp-mail.outlook.com, 587, STARTTLS",
        "microsoft365, outlook.office365.com, 993, SSL, smtp.office365.com, 587, STARTTLS",
        "ukrnet, imap.ukr.net, 993, SSL, smtp.ukr.net, 465, SSL",
        "GMail, imap.gmail.com, 993, SSL, smtp.gmail.com, 587, STARTTLS"})
    void presetsFillInTheirServers(String preset, String imapHost, int imapPort, Security imapSec, String smtpHost,
                                   int smtpPort, Security smtpSec) {
        ResolvedConnection c = ConnectionResolver.resolve(ConnectionRequest.ofPreset(preset, "Me@Example.com", PW));
        assertThat(c.imap()).isEqualTo(new Endpoint(imapHost, imapPort, imapSec));
        assertThat(c.smtp()).isEqualTo(new Endpoint(smtpHost, smtpPort, smtpSec));
        assertThat(c.username()).isEqualTo("Me@example.com");
        assertThat(c.preset()).isEqualTo(preset.toLowerCase(java.util.Locale.ROOT));
    }

    @Test
    void blankPortTakesTheStandardPortOfTheChosenSecurity() {
        assertThat(ConnectionResolver.resolve(custom("imap.example.com", null, null, "smtp.example.com", null, null)))
                .satisfies(c -> {
                    assertThat(c.imap()).isEqualTo(new Endpoint("imap.example.com", 993, Security.SSL));
                    assertThat(c.smtp()).isEqualTo(new Endpoint("smtp.example.com", 587, Security.STARTTLS));
                });
        ResolvedConnection c = ConnectionResolver.resolve(custom("imap.example.com", null, Security.STARTTLS,
                "smtp.example.com", null, Security.SSL));
        assertThat(c.imap().port()).isEqualTo(143);
        assertThat(c.smtp().port()).isEqualTo(465);
        ResolvedConnection plain = ConnectionResolver.resolve(custom("imap.example.com", null, Security.NONE,
                "smtp.example.com", null, Security.NONE));
        assertThat(plain.imap().port()).isEqualTo(143);
        assertThat(plain.smtp().port()).isEqualTo(25);
        // a preset with another security and no port: that security's port
        ResolvedConnection ukr = ConnectionResolver.resolve(new ConnectionRequest("ukrnet", "me@ukr.net", null, PW, null,
                null, null, null, null, Security.STARTTLS));
        assertThat(ukr.smtp()).isEqualTo(new Endpoint("smtp.ukr.net", 587, Security.STARTTLS));
    }

    @Test
    void presetValuesMayBeOverridden() {
        ResolvedConnection c = ConnectionResolver.resolve(new ConnectionRequest("gmail", "me@example.com", "login", PW,
                "imap.other.example", 1993, null, null, null, null));
        assertThat(c.imap()).isEqualTo(new Endpoint("imap.other.example", 1993, Security.SSL));
        assertThat(c.smtp().host()).isEqualTo("smtp.gmail.com");
        assertThat(c.username()).isEqualTo("login");
    }

    @Test
    void unknownPresetIsRefused() {
        refused(ErrorCode.UNKNOWN_PRESET, "preset",
                () -> ConnectionResolver.resolve(ConnectionRequest.ofPreset("aol", "me@example.com", PW)));
        assertThat(ConnectionResolver.resolve(new ConnectionRequest(" ", "me@example.com", null, PW, "imap.example.com",
                null, null, "smtp.example.com", null, null)).preset()).isEqualTo("custom");
    }

    @Test
    void ownDomainNeedsBothServers() {
        refused(ErrorCode.INVALID_HOST, "imapHost", () -> ConnectionResolver.resolve(custom(null, null, null,
                "smtp.example.com", null, null)));
        refused(ErrorCode.INVALID_HOST, "smtpHost", () -> ConnectionResolver.resolve(custom("imap.example.com", null,
                null, "", null, null)));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 65536, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void portsOutsideTheRangeAreRefused(int port) {
        refused(ErrorCode.INVALID_PORT, "imapPort", () -> ConnectionResolver.resolve(custom("imap.example.com", port,
                null, "smtp.example.com", null, null)));
        refused(ErrorCode.INVALID_PORT, "smtpPort", () -> ConnectionResolver.resolve(custom("imap.example.com", null,
                null, "smtp.example.com", port, null)));
    }

    @Test
    void portsAtTheEdgesAreFine() {
        ResolvedConnection c = ConnectionResolver.resolve(custom("imap.example.com", 1, null, "smtp.example.com", 65535, null));
        assertThat(c.imap().port()).isEqualTo(1);
        assertThat(c.smtp().port()).isEqualTo(65535);
    }

    @ParameterizedTest
    @ValueSource(strings = {"imap example.com", "imap.example.com:993", "-imap.example.com", "imap-.example.com",
        "imap..example.com", "imap_x.example.com", "imap.example.com/path", "256.1.1.1", "[fe80::zz]", "@", "."})
    void badHostsAreRefused(String host) {
        refused(ErrorCode.INVALID_HOST, "imapHost", () -> ConnectionResolver.resolve(custom(host, null, null,
                "smtp.example.com", null, null)));
    }

    @Test
    void hostsAreNormalised() {
        assertThat(ConnectionResolver.host("imapHost", " IMAP.Example.COM. ")).isEqualTo("imap.example.com");
        assertThat(ConnectionResolver.host("imapHost", "почта.укр")).isEqualTo("xn--80a1acny.xn--j1amh");
        assertThat(ConnectionResolver.host("imapHost", "127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(ConnectionResolver.host("imapHost", "[::1]")).isEqualTo("::1");
        assertThat(ConnectionResolver.host("imapHost", "mail")).isEqualTo("mail");
        assertThat(ConnectionResolver.host("imapHost", "a".repeat(63) + ".example.com")).startsWith("aaa");
    }

    @Test
    void lineBreaksAreHeaderInjection() {
        refused(ErrorCode.HEADER_INJECTION, "imapHost", () -> ConnectionResolver.resolve(custom("imap.example.com\r\n",
                null, null, "smtp.example.com", null, null)));
        refused(ErrorCode.HEADER_INJECTION, "smtpHost", () -> ConnectionResolver.resolve(custom("imap.example.com",
                null, null, "smtp.example.com\nX", null, null)));
        refused(ErrorCode.HEADER_INJECTION, "username", () -> ConnectionResolver.resolve(new ConnectionRequest("gmail",
                "me@example.com", "me\r\nQUIT", PW, null, null, null, null, null, null)));
        refused(ErrorCode.HEADER_INJECTION, "address", () -> ConnectionResolver.resolve(ConnectionRequest.ofPreset("gmail",
                "me@example.com\r\nBcc: x@example.com", PW)));
        refused(ErrorCode.INVALID_INPUT, "password", () -> ConnectionResolver.resolve(ConnectionRequest.ofPreset("gmail",
                "me@example.com", Secret.of("app-password\r\nA1 LOGOUT"))));
    }

    @Test
    void addressAndPasswordAreChecked() {
        refused(ErrorCode.INVALID_ADDRESS, "address", () -> ConnectionResolver.resolve(ConnectionRequest.ofPreset("gmail",
                "me.example.com", PW)));
        refused(ErrorCode.INVALID_ADDRESS, "address", () -> ConnectionResolver.resolve(ConnectionRequest.ofPreset("gmail",
                null, PW)));
        refused(ErrorCode.BLANK_PASSWORD, "password", () -> ConnectionResolver.resolve(ConnectionRequest.ofPreset("gmail",
                "me@example.com", Secret.of(" \t"))));
        refused(ErrorCode.BLANK_PASSWORD, "password", () -> ConnectionResolver.resolve(ConnectionRequest.ofPreset("gmail",
                "me@example.com", null)));
    }

    @Test
    void mergeKeepsWhatIsNotChangedAndFollowsSecurity() {
        ResolvedConnection current = ConnectionResolver.resolve(ConnectionRequest.ofPreset("gmail", "me@example.com", PW));
        ResolvedConnection same = ConnectionResolver.merge(current, ConnectionUpdate.NONE);
        assertThat(same.imap()).isEqualTo(current.imap());
        assertThat(same.password()).isSameAs(PW);

        ResolvedConnection changed = ConnectionResolver.merge(current, new ConnectionUpdate("login", Secret.of("new"),
                "imap.example.com", null, null, null, null, Security.SSL));
        assertThat(changed.username()).isEqualTo("login");
        assertThat(changed.password().reveal()).isEqualTo("new");
        assertThat(changed.imap()).isEqualTo(new Endpoint("imap.example.com", 993, Security.SSL));
        assertThat(changed.smtp()).isEqualTo(new Endpoint("smtp.gmail.com", 465, Security.SSL));
        assertThat(changed.address()).isEqualTo(current.address());
        refused(ErrorCode.BLANK_PASSWORD, "password", () -> ConnectionResolver.merge(current,
                new ConnectionUpdate(null, Secret.of(""), null, null, null, null, null, null)));
        refused(ErrorCode.INVALID_PORT, "smtpPort", () -> ConnectionResolver.merge(current,
                new ConnectionUpdate(null, null, null, null, null, null, 70000, null)));
    }

    @Test
    void theSavedPasswordIsNeverSentToAServerItWasNotEnteredFor() {
        ResolvedConnection current = ConnectionResolver.resolve(ConnectionRequest.ofPreset("gmail", "me@example.com", PW));
        refused(ErrorCode.BLANK_PASSWORD, "password", () -> ConnectionResolver.merge(current,
                new ConnectionUpdate(null, null, "imap.attacker.example", null, null, null, null, null)));
        assertThatThrownBy(() -> ConnectionResolver.merge(current,
                new ConnectionUpdate(null, null, "imap.attacker.example", null, null, null, null, null)))
                .hasMessageContaining("Enter the password again to change the server");
        refused(ErrorCode.BLANK_PASSWORD, "password", () -> ConnectionResolver.merge(current,
                new ConnectionUpdate(null, null, null, null, null, "smtp.attacker.example", null, null)));
        // the same servers (a port, the security, the spelling of the name): the saved password stays usable
        ResolvedConnection port = ConnectionResolver.merge(current,
                new ConnectionUpdate(null, null, "IMAP.GMAIL.COM", 143, Security.STARTTLS, null, null, null));
        assertThat(port.imap()).isEqualTo(new Endpoint("imap.gmail.com", 143, Security.STARTTLS));
        assertThat(port.password()).isSameAs(PW);
        // with the password entered, the server may change
        assertThat(ConnectionResolver.merge(current, new ConnectionUpdate(null, Secret.of("again"),
                "imap.example.com", null, null, null, null, null)).imap().host()).isEqualTo("imap.example.com");
    }

    @Test
    void theResolvedConnectionNeverPrintsItsPassword() {
        ResolvedConnection c = ConnectionResolver.resolve(ConnectionRequest.ofPreset("gmail", "me@example.com", PW));
        assertThat(c.toString()).doesNotContain("app-password");
        assertThat(c.credentials().toString()).doesNotContain("app-password");
    }
}
