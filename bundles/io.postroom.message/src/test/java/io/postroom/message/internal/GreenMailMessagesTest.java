package io.postroom.message.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.message.AttachmentContent;
import io.postroom.api.message.AttachmentInfo;
import io.postroom.api.message.Direction;
import io.postroom.api.message.Message;
import io.postroom.api.message.MessageId;
import io.postroom.api.message.MessagePage;
import io.postroom.api.message.MessageQuery;
import io.postroom.api.message.MessageSummary;
import io.postroom.message.internal.Mails.Attachment;
import io.postroom.testing.greenmail.GreenMailServers;
import io.postroom.testing.host.TestHost;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The message service over what the real sync stored from GreenMail: lists, one message, threads
 * across folders, attachments in each transfer encoding (with {@code \Seen} left alone), the
 * visibility matrix, cursor paging, and the error paths.
 */
class GreenMailMessagesTest extends MessageFixture {
    private static final Session SESSION = Session.getInstance(new Properties());
    static final String UKRAINIAN = "Замовлення № 42: підтвердження доставки";
    static final byte[] BINARY = new byte[10_000];
    static final String NOTES = "Grüße aus Kyiv! Ціни на листопад = 18,00 EUR; a line longer than seventy-six characters, "
            + "which quoted-printable has to break with soft line breaks.   \r\nTrailing spaces above, tab\there.";
    static final String CSV;

    static {
        new Random(42).nextBytes(BINARY);
        StringBuilder csv = new StringBuilder("product,unit price EUR,quantity\r\n");
        for (int i = 0; csv.length() < 6000; i++) {
            csv.append("Product ").append(i).append(',').append(17 + i % 7).append(".10,").append(i * 3).append("\r\n");
        }
        CSV = csv.toString().strip(); // GreenMail drops a part's last line break (Dovecot tests keep it)
    }

    GreenMail mail;
    TenantId tenant;
    TenantId otherTenant;
    Account anna;
    MailboxId mailbox;

    record Account(GreenMailUser user, String address, String password) {
    }

    @BeforeAll
    void seed() throws Exception {
        mail = GreenMailServers.start(GreenMailConfiguration.aConfig(), ServerSetup.PROTOCOL_IMAP);
        tenant = host.newTenant("t-" + java.util.UUID.randomUUID());
        otherTenant = host.newTenant("other-" + java.util.UUID.randomUUID());
        anna = account();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        put(anna, "INBOX", Mails.message("figures@demo.test", "Carla Colleague <carla@demo.test>", "Quarterly figures",
                now.minus(Duration.ofDays(6)), null, "Could you check the Q3 numbers?\n", List.of()), true);
        put(anna, "Sent", Mails.message("reply@demo.test", "Anna Koval <anna@postroom.test>", "Re: Quarterly figures",
                now.minus(Duration.ofDays(5)), "figures@demo.test", "The travel costs include the fair.\n", List.of()), true);
        put(anna, "INBOX", Mails.message("order-42@kyiv.test", "Олена Петренко <olena@kyiv.test>", UKRAINIAN,
                now.minus(Duration.ofDays(5)).plus(Duration.ofHours(2)), null, "Доброго дня!\n", List.of()), false);
        put(anna, "INBOX", Mails.message("files@demo.test", "Jordan Lee <jordan@fabrikam.test>", "Files for you",
                now.minus(Duration.ofDays(4)), null, "Three files attached.\n", List.of(
                        new Attachment("report.bin", "application/octet-stream", "base64", BINARY),
                        new Attachment("notes.txt", "text/plain; charset=utf-8", "quoted-printable",
                                NOTES.getBytes(StandardCharsets.UTF_8)),
                        new Attachment("prices.csv", "text/csv; charset=us-ascii", "7bit", CSV.getBytes(StandardCharsets.US_ASCII)))),
                false);
        put(anna, "INBOX", Mails.message("followup@demo.test", "Carla Colleague <carla@demo.test>", "Re: Re: Quarterly figures",
                now.minus(Duration.ofDays(3)), "reply@demo.test", "Great, see you on Thursday.\n", List.of()), false);
        mailbox = mailbox(tenant, anna.address(), anna.address(), anna.password(), mail.getImap().getPort(),
                List.of("INBOX", "Sent"));
        assertThat(sync(mailbox).messagesStored()).isEqualTo(5);
    }

    @AfterAll
    void stopGreenMail() {
        if (mail != null) {
            mail.stop();
        }
    }

    Account account() {
        String address = newAddress("anna");
        String password = "pw-" + java.util.UUID.randomUUID();
        return new Account(mail.setUser(address, address, password), address, password);
    }

    MailFolder folder(Account a, String name) throws Exception {
        var manager = mail.getManagers().getImapHostManager();
        MailFolder f = manager.getFolder(a.user(), name);
        return f != null ? f : manager.createMailbox(a.user(), name);
    }

    void put(Account a, String folder, byte[] raw, boolean seen) throws Exception {
        MimeMessage m = new MimeMessage(SESSION, new ByteArrayInputStream(raw));
        Flags flags = seen ? new Flags(Flags.Flag.SEEN) : new Flags();
        folder(a, folder).appendMessage(m, flags, m.getSentDate() == null ? new Date() : m.getSentDate());
    }

    /** The flags GreenMail keeps for the message with this Message-ID. */
    Flags serverFlags(Account a, String folder, String messageId) throws Exception {
        for (var m : folder(a, folder).getMessages()) {
            if (m.getMimeMessage().getMessageID().equals("<" + messageId + ">")) {
                return m.getFlags();
            }
        }
        throw new AssertionError(messageId + " not in " + folder);
    }

    Actor as(UserId user) {
        return as(tenant, user);
    }

    MessageId files() {
        return stored(mailbox, "files@demo.test");
    }

    // ------------------------------------------------------------------ reading

    @Test
    void listsNewestFirstWithDecodedSubjectsAndShowsOneMessageWithItsText() {
        visibility(mailbox, MessageVisibility.OWNER_ONLY, false);
        MessagePage page = service.list(as(TestHost.ANNA), MessageQuery.firstPage(mailbox, 50));

        assertThat(page.nextCursor()).isNull();
        assertThat(page.messages()).extracting(MessageSummary::subject).containsExactly("Re: Re: Quarterly figures",
                "Files for you", UKRAINIAN, "Re: Quarterly figures", "Quarterly figures");
        MessageSummary order = page.messages().get(2);
        assertThat(order.from().name()).isEqualTo("Олена Петренко");
        assertThat(order.direction()).isEqualTo(Direction.RECEIVED);
        assertThat(order.folders()).containsExactly("INBOX");
        assertThat(order.contentHidden()).isFalse();
        assertThat(page.messages().get(3).direction()).isEqualTo(Direction.SENT);
        assertThat(page.messages().get(1).hasAttachments()).isTrue();

        Message files = service.get(as(TestHost.ANNA), files());
        assertThat(files.text()).contains("Three files attached.");
        assertThat(files.messageIdHeader()).isEqualTo("files@demo.test");
        assertThat(files.attachments()).extracting(AttachmentInfo::index, AttachmentInfo::fileName, AttachmentInfo::contentType)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "report.bin", "application/octet-stream"),
                        org.assertj.core.groups.Tuple.tuple(2, "notes.txt", "text/plain"),
                        org.assertj.core.groups.Tuple.tuple(3, "prices.csv", "text/csv"));

        assertThat(service.list(as(TestHost.ANNA), new MessageQuery(mailbox, "Sent", null, 50)).messages())
                .extracting(MessageSummary::subject).containsExactly("Re: Quarterly figures");
    }

    @Test
    void aThreadHoldsTheConversationOldestFirstAcrossFolders() {
        visibility(mailbox, MessageVisibility.OWNER_ONLY, false);
        MessageId followUp = stored(mailbox, "followup@demo.test");

        List<MessageSummary> thread = service.thread(as(TestHost.ANNA), followUp);

        assertThat(thread).extracting(MessageSummary::subject)
                .containsExactly("Quarterly figures", "Re: Quarterly figures", "Re: Re: Quarterly figures");
        assertThat(thread.get(1).folders()).containsExactly("Sent");
        assertThat(thread).extracting(MessageSummary::threadId).containsOnly(thread.get(0).threadId());
        assertThat(service.thread(as(TestHost.ANNA), stored(mailbox, "order-42@kyiv.test"))).hasSize(1);
    }

    // ------------------------------------------------------------------ attachments

    @Test
    void attachmentsStreamDecodedFromEachTransferEncodingWithoutSettingSeen() throws Exception {
        visibility(mailbox, MessageVisibility.OWNER_ONLY, false);
        assertThat(serverFlags(anna, "INBOX", "files@demo.test").contains(Flags.Flag.SEEN)).isFalse();

        AttachmentContent report = service.openAttachment(as(TestHost.ANNA), files(), 1);
        assertThat(report.info().fileName()).isEqualTo("report.bin");
        assertThat(report.length()).as("base64: decoded length unknown before reading").isEmpty();
        assertThat(read(report)).isEqualTo(BINARY);

        AttachmentContent notes = service.openAttachment(as(TestHost.ANNA), files(), 2);
        assertThat(notes.length()).isEmpty();
        assertThat(new String(read(notes), StandardCharsets.UTF_8)).isEqualTo(NOTES);

        AttachmentContent prices = service.openAttachment(as(TestHost.ANNA), files(), 3);
        assertThat(prices.length()).as("7bit: the size from the body structure").hasValue(CSV.length());
        assertThat(new String(read(prices), StandardCharsets.US_ASCII)).isEqualTo(CSV);

        // with ranges larger than the part, its length is what the first range brought
        AttachmentContent whole = service(1024 * 1024, MessageServiceImpl.MAILBOXES_PER_QUERY)
                .openAttachment(as(TestHost.ANNA), files(), 3);
        assertThat(whole.length()).hasValue(CSV.length());
        assertThat(new String(read(whole), StandardCharsets.US_ASCII)).isEqualTo(CSV);

        assertThat(serverFlags(anna, "INBOX", "files@demo.test").contains(Flags.Flag.SEEN)).as("\\Seen on the server").isFalse();
    }

    @Test
    void aClosedAttachmentReleasesItsConnectionAndCanBeOpenedAgain() throws Exception {
        visibility(mailbox, MessageVisibility.OWNER_ONLY, false);
        AttachmentContent first = service.openAttachment(as(TestHost.ANNA), files(), 1);
        byte[] start = first.stream().readNBytes(100);
        first.close();
        first.close(); // twice is harmless
        assertThat(start).isEqualTo(java.util.Arrays.copyOf(BINARY, 100));
        assertThatThrownBy(() -> first.stream().readAllBytes()).isInstanceOf(java.io.IOException.class);

        assertThat(read(service.openAttachment(as(TestHost.ANNA), files(), 1))).isEqualTo(BINARY);
    }

    @Test
    void atMostFourAttachmentsOfAMailboxStreamAtOnce() throws Exception {
        visibility(mailbox, MessageVisibility.OWNER_ONLY, false);
        List<AttachmentContent> open = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                open.add(service.openAttachment(as(TestHost.ANNA), files(), 1 + i % 3));
            }
            assertThat(service.streaming(mailbox.value())).isEqualTo(4);
            PostroomException busy = catchThrowableOfType(() -> service.openAttachment(as(TestHost.ANNA), files(), 1),
                    PostroomException.class);
            assertThat(busy.code()).isEqualTo(ErrorCode.TOO_MANY_DOWNLOADS);
            assertThat(busy.code().category()).isEqualTo(io.postroom.api.ErrorCategory.BUSY);
            assertThat(busy.getMessage()).contains("already streaming 4 attachments").contains("try again when");
            assertThat(busy.details()).containsEntry("limit", 4);

            open.remove(0).close(); // one finishes: the next may start
            open.add(service.openAttachment(as(TestHost.ANNA), files(), 1));
            assertThat(read(open.remove(open.size() - 1))).isEqualTo(BINARY);
        } finally {
            for (AttachmentContent c : open) {
                c.close();
            }
        }
        assertThat(service.streaming(mailbox.value())).isZero();
    }

    @Test
    void anAttachmentNumberThatDoesNotExistIsNotFound() {
        visibility(mailbox, MessageVisibility.OWNER_ONLY, false);
        for (int index : new int[] {0, -1, 4}) {
            PostroomException e = catchThrowableOfType(() -> service.openAttachment(as(TestHost.ANNA), files(), index),
                    PostroomException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.ATTACHMENT_NOT_FOUND);
            assertThat(e.getMessage()).contains("has no attachment " + index).contains("numbered 1 to 3");
        }
        PostroomException none = catchThrowableOfType(() -> service.openAttachment(as(TestHost.ANNA),
                stored(mailbox, "order-42@kyiv.test"), 1), PostroomException.class);
        assertThat(none.code()).isEqualTo(ErrorCode.ATTACHMENT_NOT_FOUND);
        assertThat(none.getMessage()).contains("has no attachments");
    }

    @Test
    void anInactiveMailboxKeepsItsMessagesButOpensNoAttachment() throws Exception {
        visibility(mailbox, MessageVisibility.OWNER_ONLY, false);
        state(mailbox, MailboxState.INACTIVE, "on holiday");
        try {
            assertThat(service.list(as(TestHost.ANNA), MessageQuery.firstPage(mailbox, 10)).messages()).hasSize(5);
            assertThat(service.get(as(TestHost.ANNA), files()).text()).contains("Three files attached.");

            PostroomException e = catchThrowableOfType(() -> service.openAttachment(as(TestHost.ANNA), files(), 1),
                    PostroomException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.MAILBOX_INACTIVE);
            assertThat(e.getMessage()).contains(anna.address()).contains("inactive (on holiday)")
                    .contains("text stays readable").contains("activate");
        } finally {
            state(mailbox, MailboxState.ACTIVE, null);
        }
        assertThat(read(service.openAttachment(as(TestHost.ANNA), files(), 1))).isEqualTo(BINARY);
    }

    // ------------------------------------------------------------------ who sees what

    enum Who {
        OWNER(TestHost.ANNA), SHARED(TestHost.BOB), MANAGER(TestHost.CAROL), ADMIN(TestHost.DAVE), PLAIN(TestHost.ERIN);

        final UserId user;

        Who(UserId user) {
            this.user = user;
        }
    }

    enum Expect { FULL, HIDDEN, NONE }

    /** The rules as the issue states them, written out case by case. */
    static Expect expected(Who who, MessageVisibility visibility, boolean privateMessages) {
        Expect content = privateMessages ? Expect.HIDDEN : Expect.FULL;
        return switch (who) {
            case OWNER -> Expect.FULL;
            case SHARED -> content;
            case MANAGER, ADMIN -> visibility == MessageVisibility.OWNER_ONLY ? Expect.NONE : content;
            case PLAIN -> visibility == MessageVisibility.EVERYONE ? content : Expect.NONE;
        };
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (MessageVisibility v : MessageVisibility.values()) {
            for (boolean p : new boolean[] {false, true}) {
                for (Who w : Who.values()) {
                    cases.add(Arguments.of(v, p, w));
                }
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}, private {1}: {2}")
    @MethodSource("matrix")
    void visibilityMatrix(MessageVisibility visibility, boolean privateMessages, Who who) throws Exception {
        visibility(mailbox, visibility, privateMessages);
        Actor actor = as(who.user);
        Expect expect = expected(who, visibility, privateMessages);
        MessageId files = files();

        List<MessageSummary> everything = service.list(actor, new MessageQuery(null, null, null, 200)).messages().stream()
                .filter(m -> m.mailbox().equals(mailbox)).toList();
        if (expect == Expect.NONE) {
            assertThat(everything).isEmpty();
            PostroomException listed = catchThrowableOfType(() -> service.list(actor, MessageQuery.firstPage(mailbox, 10)),
                    PostroomException.class);
            // an admin sees the mailbox itself (not its messages); anyone else learns nothing about it
            assertThat(listed.code()).isEqualTo(who == Who.ADMIN ? ErrorCode.ACCESS_DENIED : ErrorCode.MAILBOX_NOT_FOUND);
            assertThat(listed.getMessage()).contains(who == Who.ADMIN ? "are visible to its owner" : "no mailbox " + mailbox);
            for (var call : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                    () -> service.get(actor, files), () -> service.thread(actor, files),
                    () -> service.openAttachment(actor, files, 1))) {
                PostroomException e = catchThrowableOfType(call, PostroomException.class);
                assertThat(e.code()).isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);
                assertThat(e.getMessage()).doesNotContain("Files for you").doesNotContain(anna.address());
            }
            return;
        }
        boolean hidden = expect == Expect.HIDDEN;
        List<MessageSummary> listed = service.list(actor, MessageQuery.firstPage(mailbox, 10)).messages();
        assertThat(listed).hasSize(5);
        assertThat(everything).hasSize(5);
        for (MessageSummary m : Stream.concat(listed.stream(), everything.stream()).toList()) {
            assertThat(m.contentHidden()).isEqualTo(hidden);
            assertThat(m.subject() == null).isEqualTo(hidden);
            assertThat(m.preview() == null).isEqualTo(hidden);
            assertThat(m.from()).isNotNull();
        }
        Message message = service.get(actor, files);
        assertThat(message.summary().contentHidden()).isEqualTo(hidden);
        assertThat(message.summary().subject()).isEqualTo(hidden ? null : "Files for you");
        assertThat(message.text()).isEqualTo(hidden ? "" : "Three files attached.");
        assertThat(message.attachments()).hasSize(hidden ? 0 : 3);
        assertThat(message.summary().hasAttachments()).isTrue(); // that it has some is no secret
        List<MessageSummary> thread = service.thread(actor, stored(mailbox, "followup@demo.test"));
        assertThat(thread).hasSize(3).allSatisfy(m -> assertThat(m.contentHidden()).isEqualTo(hidden));
        if (hidden) {
            PostroomException e = catchThrowableOfType(() -> service.openAttachment(actor, files, 1), PostroomException.class);
            assertThat(e.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
            assertThat(e.getMessage()).contains("private to its owner");
        } else {
            assertThat(read(service.openAttachment(actor, files, 1))).isEqualTo(BINARY);
        }
    }

    @Test
    void anotherTenantSeesNothingAndStrangersAreRefused() {
        visibility(mailbox, MessageVisibility.EVERYONE, false);
        Actor outsider = as(otherTenant, TestHost.ANNA); // same user name, other tenant
        assertThat(service.list(outsider, new MessageQuery(null, null, null, 50)).messages()).isEmpty();
        assertThat(catchThrowableOfType(() -> service.list(outsider, MessageQuery.firstPage(mailbox, 10)),
                PostroomException.class).code()).isEqualTo(ErrorCode.MAILBOX_NOT_FOUND);
        assertThat(catchThrowableOfType(() -> service.get(outsider, files()), PostroomException.class).code())
                .isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);
        assertThat(catchThrowableOfType(() -> service.openAttachment(outsider, files(), 1), PostroomException.class).code())
                .isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);

        PostroomException unknownUser = catchThrowableOfType(() -> service.get(as(tenant, UserId.of("mallory")), files()),
                PostroomException.class);
        assertThat(unknownUser.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        PostroomException unknownTenant = catchThrowableOfType(() -> service.list(Actor.of("nowhere", "anna"),
                MessageQuery.firstPage(null, 10)), PostroomException.class);
        assertThat(unknownTenant.code()).isEqualTo(ErrorCode.ACCESS_DENIED);
        assertThat(catchThrowableOfType(() -> service.get(null, files()), PostroomException.class).code())
                .isEqualTo(ErrorCode.UNAUTHENTICATED);
        assertThat(catchThrowableOfType(() -> service.get(as(TestHost.ANNA), MessageId.of(987_654_321)),
                PostroomException.class).code()).isEqualTo(ErrorCode.MESSAGE_NOT_FOUND);
        assertThat(catchThrowableOfType(() -> service.list(as(TestHost.ANNA), MessageQuery.firstPage(
                MailboxId.of(987_654_321), 10)), PostroomException.class).code()).isEqualTo(ErrorCode.MAILBOX_NOT_FOUND);
    }

    // ------------------------------------------------------------------ paging

    @Test
    void pagesWithCursorsThroughManyMessagesAcrossMailboxes() throws Exception {
        visibility(mailbox, MessageVisibility.OWNER_ONLY, false);
        Account many = account();
        Instant start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofDays(10));
        for (int i = 0; i < 130; i++) {
            // pairs of messages share a date: the id decides their order
            Instant date = start.plus(Duration.ofMinutes(10L * (i / 2)));
            put(many, "INBOX", Mails.message("many-" + i + "@demo.test", "Sender " + i + " <s" + i + "@demo.test>",
                    "Message " + i, date, null, "Body " + i + "\n", List.of()), false);
        }
        MailboxId second = mailbox(tenant, many.address(), many.address(), many.password(), mail.getImap().getPort(),
                List.of("INBOX"));
        assertThat(sync(second).messagesStored()).isEqualTo(130);

        List<MessageSummary> paged = pages(service, as(TestHost.ANNA), second, 25);
        assertThat(paged).hasSize(130);
        assertThat(paged).extracting(MessageSummary::id).doesNotHaveDuplicates();
        for (int i = 1; i < paged.size(); i++) {
            MessageSummary a = paged.get(i - 1);
            MessageSummary b = paged.get(i);
            assertThat(a.date().isAfter(b.date()) || a.date().equals(b.date()) && a.id().value() > b.id().value())
                    .as("newest first at %d", i).isTrue();
        }
        assertThat(paged.get(0).subject()).isIn("Message 128", "Message 129");

        // every mailbox the actor sees: the store lists a bounded number at once, the service merges their pages
        List<MessageSummary> all = pages(service, as(TestHost.ANNA), null, 25);
        List<MessageSummary> merged = pages(service(RANGE, 1), as(TestHost.ANNA), null, 25);
        assertThat(all).hasSize(135);
        assertThat(merged).extracting(MessageSummary::id).containsExactlyElementsOf(
                all.stream().map(MessageSummary::id).toList());
        assertThat(pages(service(RANGE, 1), as(TestHost.ANNA), null, 7)).extracting(MessageSummary::id)
                .containsExactlyElementsOf(all.stream().map(MessageSummary::id).toList());
        // Bob sees both (shared with him); Erin neither
        assertThat(pages(service, as(TestHost.BOB), null, 50)).hasSize(135);
        assertThat(service.list(as(TestHost.ERIN), new MessageQuery(null, null, null, 50)).messages()).isEmpty();
    }

    static List<MessageSummary> pages(MessageServiceImpl s, Actor actor, MailboxId mailbox, int size) {
        List<MessageSummary> all = new ArrayList<>();
        Set<String> cursors = new LinkedHashSet<>();
        String cursor = null;
        do {
            MessagePage page = s.list(actor, new MessageQuery(mailbox, null, cursor, size));
            assertThat(page.messages().size()).isLessThanOrEqualTo(size);
            if (page.nextCursor() != null) {
                assertThat(page.messages()).hasSize(size);
                assertThat(cursors.add(page.nextCursor())).as("a new cursor").isTrue();
            }
            all.addAll(page.messages());
            cursor = page.nextCursor();
        } while (cursor != null);
        return all;
    }

    @Test
    void aCursorNotHandedOutIsInvalidInput() {
        visibility(mailbox, MessageVisibility.OWNER_ONLY, false);
        String real = service.list(as(TestHost.ANNA), MessageQuery.firstPage(mailbox, 2)).nextCursor();
        assertThat(service.list(as(TestHost.ANNA), new MessageQuery(mailbox, null, real, 2)).messages()).hasSize(2);
        String cut = real.substring(0, real.length() - 1);
        String otherPosition = "1.2.3." + real.substring(real.lastIndexOf('.') + 1);
        for (String garbled : new String[] {"garbage", "a.b", "zz.zz.zz!", "1.2.3", "1.2.3.4", "..", "-.-.-", cut, otherPosition}) {
            PostroomException e = catchThrowableOfType(() -> service.list(as(TestHost.ANNA),
                    new MessageQuery(mailbox, null, garbled, 10)), PostroomException.class);
            assertThat(e.code()).as(garbled).isEqualTo(ErrorCode.INVALID_INPUT);
            assertThat(e.details()).containsEntry("field", "cursor");
            assertThat(e.getMessage()).contains("first page");
        }
    }
}
