package io.postroom.mailbox.internal;

import static io.postroom.testing.host.TestHost.ALICE;
import static io.postroom.testing.host.TestHost.BOB;
import static io.postroom.testing.host.TestHost.CAROL;
import static io.postroom.testing.host.TestHost.DAVE;
import static io.postroom.testing.host.TestHost.FRED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.ConnectionTest;
import io.postroom.api.mailbox.ConnectionUpdate;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxEvents;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.mailbox.SyncPeriod;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

/** Changing, testing, deactivating, activating and deleting mailboxes, and the default for sending. */
class MailboxLifecycleTest extends ServiceFixture {

    private static SettingsUpdate senderName(String name) {
        return new SettingsUpdate(name, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void updateChangesSettingsAndPostsTheirNames() {
        Mailbox m = create(ALICE, newAccount("upd"));
        eventAdmin.clear();

        Mailbox changed = service.update(actor(ALICE), m.id(), new SettingsUpdate("Alice at Work", "{{last_name}} box",
                AccessLevel.SHARED, Set.of(BOB), MessageVisibility.OWNER_AND_MANAGERS, true, null, false, null,
                SyncPeriod.YEAR_1, null), null);

        assertThat(changed.settings().senderName()).isEqualTo("Alice at Work");
        assertThat(changed.name()).isEqualTo("Example box");
        assertThat(changed.settings().sharedWith()).containsExactly(BOB);
        assertThat(changed.settings().syncPeriod()).isEqualTo(SyncPeriod.YEAR_1);
        assertThat(changed.updatedAt()).isEqualTo(clock.instant());
        assertThat(eventAdmin.topics()).containsExactly(MailboxEvents.UPDATED);
        Event e = eventAdmin.last();
        assertThat((String[]) e.getProperty(MailboxEvents.CHANGED)).containsExactly("senderName", "nameTemplate",
                "accessLevel", "sharedWith", "visibility", "privateMessages", "crmLinking", "syncPeriod");
        assertThat(e.getProperty(MailboxEvents.USER)).isEqualTo("alice");

        // nothing to change: no event
        service.update(actor(ALICE), m.id(), senderName("Alice at Work"), ConnectionUpdate.NONE);
        assertThat(eventAdmin.events()).hasSize(1);
    }

    @Test
    void updateChecksFoldersAgainstTheServer() throws Exception {
        Account a = newAccount("folders");
        Mailbox m = create(ALICE, a);
        addFolder(a, "Clients");
        SettingsUpdate folders = new SettingsUpdate(null, null, null, null, null, null, null, null, null, null,
                List.of("INBOX", "Clients"));

        assertThat(service.update(actor(ALICE), m.id(), folders, null).settings().folders()).containsExactly("INBOX", "Clients");
        assertRefused(ErrorCode.UNKNOWN_FOLDER, "folders", () -> service.update(actor(ALICE), m.id(),
                new SettingsUpdate(null, null, null, null, null, null, null, null, null, null, List.of("Gone")), null));
    }

    @Test
    void badChangesAreRefusedAndNothingChanges() {
        Mailbox m = create(ALICE, newAccount("bad"));
        assertRefused(ErrorCode.HEADER_INJECTION, "senderName",
                () -> service.update(actor(ALICE), m.id(), senderName("Alice\nBcc: x@evil.example"), null));
        assertRefused(ErrorCode.INVALID_PORT, "smtpPort", () -> service.update(actor(ALICE), m.id(), null,
                new ConnectionUpdate(null, null, null, null, null, null, 0, null)));
        assertRefused(ErrorCode.BLANK_PASSWORD, "password", () -> service.update(actor(ALICE), m.id(), null,
                new ConnectionUpdate(null, Secret.of(""), null, null, null, null, null, null)));
        assertRefused(ErrorCode.INVALID_HOST, "imapHost", () -> service.update(actor(ALICE), m.id(), null,
                new ConnectionUpdate(null, null, "bad host", null, null, null, null, null)));
        // another server only with the password entered again: the saved one never goes to a new host
        assertRefused(ErrorCode.BLANK_PASSWORD, "password", () -> service.update(actor(ALICE), m.id(), null,
                new ConnectionUpdate(null, null, "imap.elsewhere.example", null, null, null, null, null)));
        assertRefused(ErrorCode.UNKNOWN_USER, "sharedWith", () -> service.update(actor(ALICE), m.id(),
                sharedWith(io.postroom.api.UserId.of("ghost")), null));
        assertThat(service.get(actor(ALICE), m.id())).isEqualTo(m);
    }

    @Test
    void onlyTheOwnerChangesSettings() {
        Mailbox m = create(ALICE, newAccount("own"), sharedWith(BOB));
        PostroomException e = assertRefused(ErrorCode.NOT_OWNER, null,
                () -> service.update(actor(BOB), m.id(), senderName("Bob"), null));
        assertThat(e.getMessage()).contains("owner");
        assertRefused(ErrorCode.NOT_OWNER, null, () -> service.update(actor(DAVE), m.id(), senderName("Admin"), null));
        assertRefused(ErrorCode.NOT_OWNER, null, () -> service.test(actor(BOB), m.id()));
        assertRefused(ErrorCode.NOT_OWNER, null, () -> service.activate(actor(DAVE), m.id()));
        assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> service.update(actor(CAROL), m.id(), senderName("C"), null));
    }

    @Test
    void sharingOnAPlanWithoutItOrBeyondALimitIsRefusedOnUpdateToo() {
        Mailbox fred = create(FRED, newAccount("fred"));
        assertRefused(ErrorCode.SHARED_NOT_ALLOWED, "accessLevel", () -> service.update(actor(FRED), fred.id(), sharedWith(BOB), null));

        Mailbox alice = create(ALICE, newAccount("alice"));
        PostroomException e = assertRefused(ErrorCode.PLAN_LIMIT_REACHED, "sharedWith",
                () -> service.update(actor(ALICE), alice.id(), sharedWith(FRED), null));
        assertThat(e.details()).containsEntry("user", "fred").containsEntry("plan", "Free");
    }

    @Test
    void aNewPasswordIsProbedBeforeItIsSaved() {
        Account a = newAccount("pw");
        Mailbox m = create(ALICE, a);
        String sealedBefore = store.find(m.id().value()).orElseThrow().sealedPassword();

        // wrong new password: refused, old one kept
        PostroomException e = assertRefused(ErrorCode.CONNECTION_FAILED, null, () -> service.update(actor(ALICE), m.id(), null,
                new ConnectionUpdate(null, Secret.of("wrong-password"), null, null, null, null, null, null)));
        assertThat(e).isInstanceOf(ConnectionFailedException.class);
        assertThat(store.find(m.id().value()).orElseThrow().sealedPassword()).isEqualTo(sealedBefore);

        String newPassword = "new-" + a.password();
        mail.getUserManager().getUserByEmail(a.address()).setPassword(newPassword);
        Mailbox changed = service.update(actor(ALICE), m.id(), null,
                new ConnectionUpdate(null, Secret.of(newPassword), null, null, null, null, null, null));

        String sealedAfter = store.find(m.id().value()).orElseThrow().sealedPassword();
        assertThat(sealedAfter).isNotEqualTo(sealedBefore);
        assertThat(cipher.decrypt(sealedAfter).reveal()).isEqualTo(newPassword);
        assertThat((String[]) eventAdmin.last().getProperty(MailboxEvents.CHANGED)).containsExactly("password");
        assertThat(changed.consecutiveFailures()).isZero();
    }

    @Test
    void testResetsTheCounterOnSuccessAndTheTenthFailureDeactivates() {
        Account a = newAccount("flaky");
        Mailbox m = create(ALICE, a);
        ConnectionTest ok = service.test(actor(ALICE), m.id());
        assertThat(ok.ok()).isTrue();
        assertThat(ok.folders()).extracting(f -> f.name()).contains("INBOX");

        mail.getUserManager().getUserByEmail(a.address()).setPassword("changed-on-the-server");
        eventAdmin.clear();
        ConnectionTest failed = null;
        for (int i = 1; i <= 9; i++) {
            failed = service.test(actor(ALICE), m.id());
            assertThat(failed.ok()).isFalse();
            assertThat(failed.mailbox().consecutiveFailures()).isEqualTo(i);
            assertThat(failed.mailbox().active()).isTrue();
        }
        assertThat(failed.failure().kind()).isEqualTo(io.postroom.api.ConnectionFailure.Kind.AUTHENTICATION);
        assertThat(failed.mailbox().lastFailure()).isEqualTo(failed.failure().describe());
        assertThat(eventAdmin.events()).isEmpty();

        ConnectionTest tenth = service.test(actor(ALICE), m.id());

        assertThat(tenth.mailbox().state()).isEqualTo(MailboxState.INACTIVE);
        assertThat(tenth.mailbox().inactiveReason()).isEqualTo(tenth.failure().describe());
        assertThat(eventAdmin.topics()).containsExactly(MailboxEvents.DEACTIVATED);
        Event e = eventAdmin.last();
        assertThat(e.containsProperty(MailboxEvents.USER)).isFalse();
        assertThat(e.getProperty(MailboxEvents.REASON)).isEqualTo(tenth.failure().describe());

        // fixed on the server: a success resets the counter, the owner activates it again
        mail.getUserManager().getUserByEmail(a.address()).setPassword(a.password());
        assertThat(service.test(actor(ALICE), m.id()).mailbox().consecutiveFailures()).isZero();
        assertThat(service.activate(actor(ALICE), m.id()).active()).isTrue();
    }

    @Test
    void deactivateKeepsTheMailboxActivateProbesAndChecksAgain() {
        Account a = newAccount("life");
        Mailbox m = create(ALICE, a);
        eventAdmin.clear();

        Mailbox off = service.deactivate(actor(ALICE), m.id(), "On holiday");
        assertThat(off.state()).isEqualTo(MailboxState.INACTIVE);
        assertThat(off.inactiveReason()).isEqualTo("On holiday");
        assertThat(service.list(actor(ALICE))).extracting(Mailbox::id).containsExactly(m.id());
        assertThat(eventAdmin.last().getProperty(MailboxEvents.REASON)).isEqualTo("On holiday");
        assertThat(eventAdmin.last().getProperty(MailboxEvents.USER)).isEqualTo("alice");
        assertRefused(ErrorCode.MAILBOX_INACTIVE, null, () -> connections.connection(m.id()));
        assertThat(connections.activeMailboxes()).extracting(t -> t.id()).doesNotContain(m.id());

        // someone else connected the address meanwhile
        Mailbox bobs = create(BOB, a);
        assertRefused(ErrorCode.DUPLICATE_ADDRESS, "address", () -> service.activate(actor(ALICE), m.id()));
        service.delete(actor(BOB), bobs.id());

        Mailbox on = service.activate(actor(ALICE), m.id());
        assertThat(on.state()).isEqualTo(MailboxState.ACTIVE);
        assertThat(on.inactiveReason()).isNull();
        assertThat(eventAdmin.topics()).containsSubsequence(MailboxEvents.DEACTIVATED, MailboxEvents.ACTIVATED);
    }

    @Test
    void activationChecksThePlanLimitAndTheServers() {
        Account first = newAccount("fred1");
        Mailbox m = create(FRED, first);
        service.deactivate(actor(FRED), m.id(), null);
        assertThat(service.get(actor(FRED), m.id()).inactiveReason()).isEqualTo("Deactivated by fred.");
        Mailbox second = create(FRED, newAccount("fred2"));

        PostroomException e = assertRefused(ErrorCode.PLAN_LIMIT_REACHED, null, () -> service.activate(actor(FRED), m.id()));
        assertThat(e.getMessage()).contains("Free");

        service.delete(actor(FRED), second.id());
        mail.getUserManager().getUserByEmail(first.address()).setPassword("changed");
        assertRefused(ErrorCode.CONNECTION_FAILED, null, () -> service.activate(actor(FRED), m.id()));
        assertThat(service.get(actor(FRED), m.id()).active()).isFalse();
    }

    @Test
    void adminsDeactivateAndDeleteButOthersMayNot() {
        Mailbox m = create(ALICE, newAccount("admin"), sharedWith(BOB));
        assertRefused(ErrorCode.NOT_OWNER, null, () -> service.deactivate(actor(BOB), m.id(), "mine now"));
        assertRefused(ErrorCode.NOT_OWNER, null, () -> service.delete(actor(BOB), m.id()));
        assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> service.delete(actor(CAROL), m.id()));

        assertThat(service.deactivate(actor(DAVE), m.id(), "policy").active()).isFalse();
        assertThat(eventAdmin.last().getProperty(MailboxEvents.USER)).isEqualTo("dave");
        service.delete(actor(DAVE), m.id());
        assertThat(eventAdmin.last().getTopic()).isEqualTo(MailboxEvents.DELETED);
        assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> service.get(actor(ALICE), m.id()));
    }

    @Test
    void deleteRemovesEverything() {
        var before = rowCounts();
        Mailbox m = create(ALICE, newAccount("del"), sharedWith(BOB));
        service.delete(actor(ALICE), m.id());
        var after = rowCounts();
        before.remove("postroom_user");
        after.remove("postroom_user");
        assertThat(after).isEqualTo(before);
        assertThat(service.list(actor(ALICE))).isEmpty();
        assertThat(service.defaultForSending(actor(ALICE))).isEmpty();
        assertThatThrownBy(() -> service.delete(actor(ALICE), m.id()))
                .isInstanceOfSatisfying(PostroomException.class, x -> assertThat(x.code()).isEqualTo(ErrorCode.MAILBOX_NOT_FOUND));
    }

    @Test
    void defaultForSendingIsPerUserAndOnlyAmongMailboxesTheyMaySendFrom() {
        Mailbox first = create(ALICE, newAccount("d1"));
        Mailbox second = create(ALICE, newAccount("d2"), new SettingsUpdate(null, null, AccessLevel.SHARED,
                Set.of(BOB, CAROL), null, null, Set.of(BOB), null, null, null, null));
        assertThat(service.defaultForSending(actor(ALICE))).map(Mailbox::id).contains(first.id());

        assertThat(service.setDefaultForSending(actor(ALICE), second.id()).defaultForSending()).isTrue();
        assertThat(service.defaultForSending(actor(ALICE))).map(Mailbox::id).contains(second.id());
        assertThat(service.get(actor(ALICE), first.id()).defaultForSending()).isFalse();

        assertThat(service.setDefaultForSending(actor(BOB), second.id()).defaultForSending()).isTrue();
        assertThat(service.defaultForSending(actor(BOB))).map(Mailbox::id).contains(second.id());
        assertRefused(ErrorCode.ACCESS_DENIED, null, () -> service.setDefaultForSending(actor(CAROL), second.id()));
        assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> service.setDefaultForSending(actor(CAROL), first.id()));
        assertRefused(ErrorCode.ACCESS_DENIED, null, () -> service.setDefaultForSending(actor(DAVE), first.id()));

        // bob loses the share: his default is no longer offered
        service.update(actor(ALICE), second.id(), new SettingsUpdate(null, null, AccessLevel.PERSONAL, null, null, null,
                null, null, null, null, null), null);
        assertThat(service.defaultForSending(actor(BOB))).isEmpty();
    }

    @Test
    void portsFollowTheChosenSecurityWhenLeftBlank() {
        Account a = newAccount("ports");
        Mailbox m = create(ALICE, a);
        // switching SMTP to SSL without a port takes 465; the probe then fails (nothing listens there), nothing changes
        assertThatThrownBy(() -> service.update(actor(ALICE), m.id(), null,
                new ConnectionUpdate(null, null, null, null, null, null, null, Security.SSL)))
                .isInstanceOfSatisfying(ConnectionFailedException.class, e -> {
                    assertThat(e.failure().port()).isEqualTo(465);
                    assertThat(e.failure().protocol()).isEqualTo(io.postroom.api.ConnectionFailure.Protocol.SMTP);
                });
        assertThat(service.get(actor(ALICE), m.id()).connection().smtp().port()).isEqualTo(smtpPort());
    }
}
