package io.postroom.mailbox.internal;

import static io.postroom.testing.host.TestHost.ALICE;
import static io.postroom.testing.host.TestHost.BOB;
import static io.postroom.testing.host.TestHost.CAROL;
import static io.postroom.testing.host.TestHost.FRED;
import static io.postroom.testing.host.TestHost.PAT;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.Actor;
import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxEvents;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.NewMailbox;
import io.postroom.api.mailbox.ProbeResult;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.mailbox.SyncPeriod;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

/** Creating mailboxes: what is saved, and every input that must be refused without saving anything. */
class MailboxCreateTest extends ServiceFixture {

    @Test
    void createProbesSavesSealedPasswordSendsACodeAndPostsCreated() {
        Account a = newAccount("alice");

        Mailbox m = create(ALICE, a);

        assertThat(m.owner()).isEqualTo(ALICE);
        assertThat(m.tenant()).isEqualTo(tenant);
        assertThat(m.address().value()).isEqualTo(a.address());
        assertThat(m.name()).isEqualTo("Alice Example");
        assertThat(m.state()).isEqualTo(MailboxState.ACTIVE);
        assertThat(m.verified()).isFalse();
        assertThat(m.defaultForSending()).isTrue();
        assertThat(m.connection().username()).isEqualTo(a.address());
        assertThat(m.connection().imap().port()).isEqualTo(imapPort());
        assertThat(m.settings().senderName()).isEqualTo("Alice Example");
        assertThat(m.settings().accessLevel()).isEqualTo(AccessLevel.PERSONAL);
        assertThat(m.settings().syncPeriod()).isEqualTo(SyncPeriod.DAYS_14);
        assertThat(m.settings().folders()).containsExactly("INBOX");
        assertThat(m.settings().crmLinking()).isTrue();
        assertThat(m.settings().keep()).isEqualTo(KeepPolicy.BOTH);

        String sealed = store.find(m.id().value()).orElseThrow().sealedPassword();
        assertThat(sealed).isNotBlank().doesNotContain(a.password());
        assertThat(cipher.decrypt(sealed).reveal()).isEqualTo(a.password());
        assertThat(messagesTo(a)).isEqualTo(1);
        assertThat(lastCode(a)).hasSize(6);
        assertThat(store.findVerificationCode(m.id().value())).get()
                .satisfies(c -> assertThat(c.codeHash()).doesNotContain(lastCode(a)));

        assertThat(eventAdmin.topics()).containsExactly(MailboxEvents.CREATED);
        Event e = eventAdmin.last();
        assertThat(e.getProperty(MailboxEvents.TENANT)).isEqualTo(tenant.value());
        assertThat(e.getProperty(MailboxEvents.USER)).isEqualTo("alice");
        assertThat(e.getProperty(MailboxEvents.MAILBOX_ID)).isEqualTo(m.id().value());
        assertThat(e.getProperty(MailboxEvents.ADDRESS)).isEqualTo(a.address());
        assertThat(e.getProperty(MailboxEvents.OWNER)).isEqualTo("alice");
    }

    @Test
    void createTakesTheChosenSettings() throws Exception {
        Account a = newAccount("settings");
        addFolder(a, "Archive");
        SettingsUpdate s = new SettingsUpdate("Sales Team", "Sales of {{first_name}}", AccessLevel.SHARED, Set.of(BOB, CAROL),
                MessageVisibility.EVERYONE, true, Set.of(BOB), false, KeepPolicy.RECEIVED, SyncPeriod.MONTHS_3,
                List.of("INBOX", "Archive"));

        Mailbox m = create(ALICE, a, s);

        assertThat(m.name()).isEqualTo("Sales of Alice");
        assertThat(m.settings().senderName()).isEqualTo("Sales Team");
        assertThat(m.settings().sharedWith()).containsExactlyInAnyOrder(BOB, CAROL);
        assertThat(m.settings().allowedSenders()).containsExactly(BOB);
        assertThat(m.settings().visibility()).isEqualTo(MessageVisibility.EVERYONE);
        assertThat(m.settings().privateMessages()).isTrue();
        assertThat(m.settings().crmLinking()).isFalse();
        assertThat(m.settings().keep()).isEqualTo(KeepPolicy.RECEIVED);
        assertThat(m.settings().syncPeriod()).isEqualTo(SyncPeriod.MONTHS_3);
        assertThat(m.settings().folders()).containsExactly("INBOX", "Archive");
        assertThat(service.get(actor(ALICE), m.id())).isEqualTo(m);
    }

    @Test
    void probeListsTheFoldersAndSavesNothing() throws Exception {
        Account a = newAccount("probe");
        addFolder(a, "Projects");
        var before = rowCounts();

        ProbeResult p = service.probe(actor(ALICE), request(a));

        assertThat(p.folders()).extracting(f -> f.name()).containsExactly("INBOX", "Projects");
        assertThat(p.connection().address().value()).isEqualTo(a.address());
        assertThat(p.imapCapabilities()).isNotEmpty();
        assertThat(rowCounts()).isEqualTo(before);
        assertThat(eventAdmin.events()).isEmpty();
    }

    @Test
    void presetsAreTheKnownProvidersWithOwnDomainLast() {
        assertThat(service.presets()).extracting(p -> p.id())
                .containsExactly("gmail", "outlook", "microsoft365", "ukrnet", "custom");
    }

    // --- every bad input: error code, the field at fault, nothing saved, no event

    @Test
    void invalidAddressIsRefused() {
        Account a = newAccount("addr");
        ConnectionRequest r = request(a);
        assertRefused(ErrorCode.INVALID_ADDRESS, "address", () -> service.create(actor(ALICE),
                new NewMailbox(withAddress(r, "not an address"), null)));
        assertRefused(ErrorCode.INVALID_ADDRESS, "address", () -> service.create(actor(ALICE),
                new NewMailbox(withAddress(r, "alice@localhost"), null)));
        assertRefused(ErrorCode.HEADER_INJECTION, "address", () -> service.create(actor(ALICE),
                new NewMailbox(withAddress(r, "alice@example.com\r\nBcc: x@evil.example"), null)));
    }

    @Test
    void blankPasswordIsRefused() {
        Account a = newAccount("blank");
        ConnectionRequest r = request(a);
        ConnectionRequest blank = new ConnectionRequest(r.preset(), r.address(), null, Secret.of("   "), r.imapHost(),
                r.imapPort(), r.imapSecurity(), r.smtpHost(), r.smtpPort(), r.smtpSecurity());
        assertRefused(ErrorCode.BLANK_PASSWORD, "password", () -> service.create(actor(ALICE), new NewMailbox(blank, null)));
        ConnectionRequest none = new ConnectionRequest(r.preset(), r.address(), null, null, r.imapHost(),
                r.imapPort(), r.imapSecurity(), r.smtpHost(), r.smtpPort(), r.smtpSecurity());
        assertRefused(ErrorCode.BLANK_PASSWORD, "password", () -> service.create(actor(ALICE), new NewMailbox(none, null)));
    }

    @Test
    void portOutsideTheRangeIsRefused() {
        Account a = newAccount("port");
        ConnectionRequest r = request(a);
        for (int port : new int[] {0, -1, 65536, 100000}) {
            ConnectionRequest imap = new ConnectionRequest(r.preset(), r.address(), null, r.password(), r.imapHost(), port,
                    r.imapSecurity(), r.smtpHost(), r.smtpPort(), r.smtpSecurity());
            assertRefused(ErrorCode.INVALID_PORT, "imapPort", () -> service.create(actor(ALICE), new NewMailbox(imap, null)));
            ConnectionRequest smtp = new ConnectionRequest(r.preset(), r.address(), null, r.password(), r.imapHost(),
                    r.imapPort(), r.imapSecurity(), r.smtpHost(), port, r.smtpSecurity());
            assertRefused(ErrorCode.INVALID_PORT, "smtpPort", () -> service.create(actor(ALICE), new NewMailbox(smtp, null)));
        }
    }

    @Test
    void unknownPresetIsRefused() {
        Account a = newAccount("preset");
        PostroomException e = assertRefused(ErrorCode.UNKNOWN_PRESET, "preset", () -> service.create(actor(ALICE),
                new NewMailbox(ConnectionRequest.ofPreset("yahoo", a.address(), Secret.of(a.password())), null)));
        assertThat(e.getMessage()).contains("yahoo").contains("gmail");
    }

    @Test
    void ownDomainWithoutServersIsRefusedNamingTheField() {
        Account a = newAccount("custom");
        assertRefused(ErrorCode.INVALID_HOST, "imapHost", () -> service.create(actor(ALICE),
                new NewMailbox(ConnectionRequest.ofPreset("custom", a.address(), Secret.of(a.password())), null)));
        ConnectionRequest noSmtp = new ConnectionRequest("custom", a.address(), null, Secret.of(a.password()), HOST,
                imapPort(), Security.NONE, " ", null, null);
        assertRefused(ErrorCode.INVALID_HOST, "smtpHost", () -> service.create(actor(ALICE), new NewMailbox(noSmtp, null)));
    }

    @Test
    void badHostSyntaxIsRefused() {
        Account a = newAccount("host");
        for (String bad : List.of("imap example.com", "imap.example.com:993", "-imap.example.com", "imap..example.com",
                "imap_.example.com", "x".repeat(64) + ".example.com")) {
            assertRefused(ErrorCode.INVALID_HOST, "imapHost", () -> service.create(actor(ALICE),
                    new NewMailbox(withImapHost(request(a), bad), null)));
        }
    }

    @Test
    void lineBreaksInAnythingThatCouldReachAHeaderAreRefused() {
        Account a = newAccount("crlf");
        ConnectionRequest r = request(a);
        assertRefused(ErrorCode.HEADER_INJECTION, "imapHost", () -> service.create(actor(ALICE),
                new NewMailbox(withImapHost(r, "imap.example.com\r\nX: y"), null)));
        ConnectionRequest user = new ConnectionRequest(r.preset(), r.address(), "alice\nRCPT TO:<x@evil.example>",
                r.password(), r.imapHost(), r.imapPort(), r.imapSecurity(), r.smtpHost(), r.smtpPort(), r.smtpSecurity());
        assertRefused(ErrorCode.HEADER_INJECTION, "username", () -> service.create(actor(ALICE), new NewMailbox(user, null)));
        assertRefused(ErrorCode.HEADER_INJECTION, "senderName", () -> create(ALICE, a,
                new SettingsUpdate("Alice\r\nBcc: all@evil.example", null, null, null, null, null, null, null, null, null, null)));
        assertRefused(ErrorCode.HEADER_INJECTION, "nameTemplate", () -> create(ALICE, a,
                new SettingsUpdate(null, "{{first_name}}\n", null, null, null, null, null, null, null, null, null)));
    }

    @Test
    void unknownPlaceholderInTheNameIsRefused() {
        Account a = newAccount("template");
        PostroomException e = assertRefused(ErrorCode.INVALID_INPUT, "nameTemplate", () -> create(ALICE, a,
                new SettingsUpdate(null, "{{firstname}} mail", null, null, null, null, null, null, null, null, null)));
        assertThat(e.getMessage()).contains("{{firstname}}").contains("{{first_name}}");
    }

    @Test
    void unknownHostIsRefusedAfterTheLookup() {
        Account a = newAccount("dns");
        ConnectionRequest r = request(a);
        ConnectionRequest unknown = new ConnectionRequest(r.preset(), r.address(), null, r.password(), "no-such-host.invalid",
                null, Security.SSL, r.smtpHost(), r.smtpPort(), r.smtpSecurity());
        PostroomException e = assertRefused(ErrorCode.CONNECTION_FAILED, null, () -> service.create(actor(ALICE),
                new NewMailbox(unknown, null)));
        assertThat(e.details()).containsEntry("reason", "UNKNOWN_HOST").containsEntry("protocol", "IMAP");
        assertThat(e.getMessage()).contains("no-such-host.invalid").contains("unknown");
    }

    @Test
    void closedPortIsRefused() throws Exception {
        Account a = newAccount("closed");
        int closed = freePort();
        ConnectionRequest r = request(a);
        ConnectionRequest down = new ConnectionRequest(r.preset(), r.address(), null, r.password(), r.imapHost(), closed,
                r.imapSecurity(), r.smtpHost(), r.smtpPort(), r.smtpSecurity());
        PostroomException e = assertRefused(ErrorCode.CONNECTION_FAILED, null,
                () -> service.create(actor(ALICE), new NewMailbox(down, null)));
        assertThat(e.details()).containsEntry("reason", "CONNECTION_REFUSED").containsEntry("step", "CONNECT")
                .containsEntry("port", closed);
    }

    @Test
    void tlsFailureIsRefused() {
        Account a = newAccount("tls");
        ConnectionRequest r = request(a);
        // TLS spoken to a plain-text port
        ConnectionRequest tlsToPlain = new ConnectionRequest(r.preset(), r.address(), null, r.password(), r.imapHost(),
                r.imapPort(), Security.SSL, r.smtpHost(), r.smtpPort(), r.smtpSecurity());
        PostroomException e = assertRefused(ErrorCode.CONNECTION_FAILED, null,
                () -> service.create(actor(ALICE), new NewMailbox(tlsToPlain, null)));
        assertThat(e.details()).containsEntry("protocol", "IMAP");
        assertThat(e.details().get("reason")).isIn("TLS_HANDSHAKE", "PROTOCOL", "NETWORK");
        // a certificate nobody vouches for (GreenMail's own)
        ConnectionRequest selfSigned = new ConnectionRequest(r.preset(), r.address(), null, r.password(), r.imapHost(),
                mail.getImaps().getPort(), Security.SSL, r.smtpHost(), r.smtpPort(), r.smtpSecurity());
        PostroomException untrusted = assertRefused(ErrorCode.CONNECTION_FAILED, null,
                () -> service.create(actor(ALICE), new NewMailbox(selfSigned, null)));
        assertThat(untrusted.details()).containsEntry("reason", "UNTRUSTED_CERTIFICATE");
    }

    @Test
    void wrongPasswordIsRefused() {
        Account a = newAccount("wrong");
        ConnectionRequest r = request(a);
        ConnectionRequest wrong = new ConnectionRequest(r.preset(), r.address(), null, Secret.of("not-" + a.password()),
                r.imapHost(), r.imapPort(), r.imapSecurity(), r.smtpHost(), r.smtpPort(), r.smtpSecurity());
        PostroomException e = assertRefused(ErrorCode.CONNECTION_FAILED, null,
                () -> service.create(actor(ALICE), new NewMailbox(wrong, null)));
        assertThat(e).isInstanceOf(ConnectionFailedException.class);
        ConnectionFailure f = ((ConnectionFailedException) e).failure();
        assertThat(f.protocol()).isEqualTo(ConnectionFailure.Protocol.IMAP);
        assertThat(f.kind()).isEqualTo(ConnectionFailure.Kind.AUTHENTICATION);
        assertThat(e.getMessage()).contains("IMAP").contains("user name or password");
    }

    @Test
    void imapFineButSmtpRefusedIsRefused() {
        Account a = newAccount("smtpno");
        ConnectionRequest r = request(a);
        // a second server whose SMTP knows the account with another password
        GreenMail other = new GreenMail(new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP));
        other.start();
        try {
            other.setUser(a.address(), a.address(), "other-" + a.password());
            ConnectionRequest refused = new ConnectionRequest(r.preset(), r.address(), null, r.password(), r.imapHost(),
                    r.imapPort(), r.imapSecurity(), r.smtpHost(), other.getSmtp().getPort(), r.smtpSecurity());
            PostroomException e = assertRefused(ErrorCode.CONNECTION_FAILED, null,
                    () -> service.create(actor(ALICE), new NewMailbox(refused, null)));
            assertThat(e.details()).containsEntry("protocol", "SMTP").containsEntry("reason", "AUTHENTICATION");
            assertThat(e.getMessage()).startsWith("SMTP");
        } finally {
            other.stop();
        }
        // and an SMTP port where nobody listens
        ConnectionRequest down = new ConnectionRequest(r.preset(), r.address(), null, r.password(), r.imapHost(),
                r.imapPort(), r.imapSecurity(), r.smtpHost(), freePort(), r.smtpSecurity());
        PostroomException e = assertRefused(ErrorCode.CONNECTION_FAILED, null,
                () -> service.create(actor(ALICE), new NewMailbox(down, null)));
        assertThat(e.details()).containsEntry("protocol", "SMTP").containsEntry("reason", "CONNECTION_REFUSED");
    }

    @Test
    void duplicateActiveAddressIsRefused() {
        Account a = newAccount("dup");
        create(ALICE, a);
        PostroomException e = assertRefused(ErrorCode.DUPLICATE_ADDRESS, "address", () -> create(BOB, a));
        assertThat(e.getMessage()).contains(a.address());
        // also in another spelling
        ConnectionRequest upper = withAddress(request(a), a.address().toUpperCase(java.util.Locale.ROOT));
        assertRefused(ErrorCode.DUPLICATE_ADDRESS, "address", () -> service.create(actor(BOB), new NewMailbox(upper, null)));
    }

    @Test
    void overThePlanLimitIsRefusedNamingPlanAndLimit() {
        create(FRED, newAccount("fred"));
        PostroomException e = assertRefused(ErrorCode.PLAN_LIMIT_REACHED, null, () -> create(FRED, newAccount("fred2")));
        assertThat(e.getMessage()).contains("Free").contains("1 mailbox").contains("upgrade");
        assertThat(e.details()).containsEntry("plan", "Free").containsEntry("limit", 1).containsEntry("user", "fred");

        // Standard allows 3; Professional has no limit
        create(ALICE, newAccount("a1"));
        create(ALICE, newAccount("a2"));
        create(ALICE, newAccount("a3"));
        assertRefused(ErrorCode.PLAN_LIMIT_REACHED, null, () -> create(ALICE, newAccount("a4")));
        for (int i = 0; i < 5; i++) {
            create(PAT, newAccount("pat"));
        }
    }

    @Test
    void aShareCountsAgainstTheUserItIsGrantedTo() {
        create(FRED, newAccount("fred"));
        create(BOB, newAccount("bob1"));
        create(BOB, newAccount("bob2"));
        create(BOB, newAccount("bob3"));
        PostroomException e = assertRefused(ErrorCode.PLAN_LIMIT_REACHED, "sharedWith",
                () -> create(PAT, newAccount("shared"), sharedWith(BOB)));
        assertThat(e.details()).containsEntry("user", "bob").containsEntry("plan", "Standard");
        assertThat(e.getMessage()).contains("bob").contains("shared");
        assertRefused(ErrorCode.PLAN_LIMIT_REACHED, "sharedWith", () -> create(PAT, newAccount("shared2"), sharedWith(CAROL, FRED)));
        Mailbox ok = create(PAT, newAccount("shared3"), sharedWith(CAROL));
        assertThat(service.list(actor(CAROL))).extracting(Mailbox::id).containsExactly(ok.id());
    }

    @Test
    void sharedOnTheFreePlanIsRefused() {
        PostroomException e = assertRefused(ErrorCode.SHARED_NOT_ALLOWED, "accessLevel",
                () -> create(FRED, newAccount("fred"), sharedWith(BOB)));
        assertThat(e.getMessage()).contains("Free");
    }

    @Test
    void sharingWithUsersTheTenantDoesNotHaveIsRefused() {
        PostroomException e = assertRefused(ErrorCode.UNKNOWN_USER, "sharedWith",
                () -> create(ALICE, newAccount("ghost"), sharedWith(UserId.of("ghost"))));
        assertThat(e.getMessage()).contains("ghost");
        assertRefused(ErrorCode.UNKNOWN_USER, "allowedSenders", () -> create(ALICE, newAccount("ghost2"),
                new SettingsUpdate(null, null, AccessLevel.SHARED, Set.of(BOB), null, null,
                        Set.of(UserId.of("ghost")), null, null, null, null)));
        assertRefused(ErrorCode.INVALID_INPUT, "allowedSenders", () -> create(ALICE, newAccount("outsider"),
                new SettingsUpdate(null, null, AccessLevel.SHARED, Set.of(BOB), null, null, Set.of(CAROL), null, null, null, null)));
        assertRefused(ErrorCode.INVALID_INPUT, "sharedWith", () -> create(ALICE, newAccount("personal"),
                new SettingsUpdate(null, null, AccessLevel.PERSONAL, Set.of(BOB), null, null, null, null, null, null, null)));
    }

    @Test
    void unknownFolderIsRefused() {
        Account a = newAccount("folder");
        PostroomException e = assertRefused(ErrorCode.UNKNOWN_FOLDER, "folders", () -> create(ALICE, a,
                new SettingsUpdate(null, null, null, null, null, null, null, null, null, null, List.of("INBOX", "Nope"))));
        assertThat(e.details()).containsEntry("folder", "Nope");
        assertRefused(ErrorCode.INVALID_INPUT, "folders", () -> create(ALICE, a,
                new SettingsUpdate(null, null, null, null, null, null, null, null, null, null, List.of())));
    }

    @Test
    void syncPeriodNotOfferedIsRefusedWhereTextBecomesAPeriod() {
        var before = rowCounts();
        PostroomException e = org.assertj.core.api.Assertions.catchThrowableOfType(PostroomException.class,
                () -> SyncPeriod.parse("2w"));
        assertThat(e.code()).isEqualTo(ErrorCode.SYNC_PERIOD_NOT_OFFERED);
        assertThat(e.details()).containsEntry("field", "syncPeriod");
        assertThat(e.getMessage()).contains("7d, 14d, 1m, 3m, 1y");
        assertThat(rowCounts()).isEqualTo(before);
        assertThat(SyncPeriod.parse("1y")).isEqualTo(SyncPeriod.YEAR_1);
    }

    @Test
    void actorsTheHostDoesNotKnowAreDenied() {
        Account a = newAccount("stranger");
        assertRefused(ErrorCode.ACCESS_DENIED, null, () -> service.create(new Actor(tenant, UserId.of("mallory")),
                new NewMailbox(request(a), null)));
        assertRefused(ErrorCode.ACCESS_DENIED, null, () -> service.create(Actor.of("no-such-tenant", "alice"),
                new NewMailbox(request(a), null)));
        assertRefused(ErrorCode.ACCESS_DENIED, null, () -> service.probe(Actor.of("no-such-tenant", "alice"), request(a)));
        assertRefused(ErrorCode.ACCESS_DENIED, null, () -> service.list(new Actor(tenant, UserId.of("mallory"))));
    }

    // --- helpers

    private static ConnectionRequest withAddress(ConnectionRequest r, String address) {
        return new ConnectionRequest(r.preset(), address, r.username(), r.password(), r.imapHost(), r.imapPort(),
                r.imapSecurity(), r.smtpHost(), r.smtpPort(), r.smtpSecurity());
    }

    private static ConnectionRequest withImapHost(ConnectionRequest r, String host) {
        return new ConnectionRequest(r.preset(), r.address(), r.username(), r.password(), host, r.imapPort(),
                r.imapSecurity(), r.smtpHost(), r.smtpPort(), r.smtpSecurity());
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
