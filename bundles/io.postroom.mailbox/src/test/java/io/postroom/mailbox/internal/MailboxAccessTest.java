package io.postroom.mailbox.internal;

import static io.postroom.testing.host.TestHost.ALICE;
import static io.postroom.testing.host.TestHost.BOB;
import static io.postroom.testing.host.TestHost.CAROL;
import static io.postroom.testing.host.TestHost.DAVE;
import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.testing.host.TestHost;
import org.junit.jupiter.api.Test;

/** Who sees which mailbox: owner, users it is shared with, tenant admins; nobody across tenants. */
class MailboxAccessTest extends ServiceFixture {

    @Test
    void ownersAndSharedUsersSeeTheirMailboxesAdminsSeeAll() {
        Mailbox alices = create(ALICE, newAccount("alice"));
        Mailbox shared = create(ALICE, newAccount("shared"), sharedWith(BOB));
        Mailbox bobs = create(BOB, newAccount("bob"));

        assertThat(service.list(actor(ALICE))).extracting(Mailbox::id).containsExactlyInAnyOrder(alices.id(), shared.id());
        assertThat(service.list(actor(BOB))).extracting(Mailbox::id).containsExactlyInAnyOrder(shared.id(), bobs.id());
        assertThat(service.list(actor(CAROL))).isEmpty();
        assertThat(service.list(actor(DAVE))).extracting(Mailbox::id)
                .containsExactlyInAnyOrder(alices.id(), shared.id(), bobs.id());

        assertThat(service.get(actor(BOB), shared.id()).owner()).isEqualTo(ALICE);
        assertThat(service.get(actor(DAVE), alices.id()).address()).isEqualTo(alices.address());
    }

    @Test
    void aMailboxOthersMayNotSeeIsNotFoundWithoutSayingItExists() {
        Mailbox m = create(ALICE, newAccount("secret"));
        PostroomException hidden = assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> service.get(actor(CAROL), m.id()));
        PostroomException missing = assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null,
                () -> service.get(actor(CAROL), MailboxId.of(Long.MAX_VALUE)));
        assertThat(hidden.getMessage().replace(m.id().toString(), "N"))
                .isEqualTo(missing.getMessage().replace(String.valueOf(Long.MAX_VALUE), "N"));

        // the same user name in another tenant is another user
        io.postroom.api.TenantId other = host.newTenant("other-" + m.id());
        assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> service.get(new Actor(other, ALICE), m.id()));
        assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> service.get(new Actor(other, DAVE), m.id()));
        assertThat(service.list(new Actor(other, DAVE))).isEmpty();
    }

    @Test
    void sharedUsersSendOnlyIfAllowed() {
        Account a = newAccount("send");
        Mailbox m = create(ALICE, a, new io.postroom.api.mailbox.SettingsUpdate(null, null,
                io.postroom.api.mailbox.AccessLevel.SHARED, java.util.Set.of(BOB, CAROL), null, null, java.util.Set.of(BOB),
                null, null, null, null));
        service.verify(actor(ALICE), m.id(), lastCode(a));

        assertThat(connections.forSending(actor(ALICE), m.id()).address()).isEqualTo(m.address());
        assertThat(connections.forSending(actor(BOB), m.id()).address()).isEqualTo(m.address());
        assertRefused(ErrorCode.ACCESS_DENIED, null, () -> connections.forSending(actor(CAROL), m.id()));
        assertRefused(ErrorCode.ACCESS_DENIED, null, () -> connections.forSending(actor(DAVE), m.id()));
        assertRefused(ErrorCode.MAILBOX_NOT_FOUND, null, () -> connections.forSending(actor(TestHost.FRED), m.id()));
    }
}
