package io.postroom.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.message.Message;
import io.postroom.testing.fakes.InMemoryMailboxService;
import io.postroom.testing.fakes.InMemoryMessageService.AttachmentSource;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** postroom:messages and postroom:message-show against in-memory services. */
class MessageCommandsTest extends CommandFixture {
    private static final Instant DAY = Instant.parse("2026-11-20T09:30:00Z");

    private MessagesCommand list(MailboxId id, String user) {
        MessagesCommand c = command(new MessagesCommand(), user);
        c.id = id.toString();
        return c;
    }

    private MessageShowCommand show(Message m, String user) {
        MessageShowCommand c = command(new MessageShowCommand(), user);
        c.id = m.summary().id().toString();
        return c;
    }

    // ---------------------------------------------------------------- postroom:messages

    @Test
    void listShowsATableNewestFirst() throws Exception {
        MailboxId id = connect("alice", SettingsUpdate.NONE);
        messages.draft(id).subject("Older").date(DAY).store();
        messages.draft(id).subject("Newer").from("Carol C.", "carol@example.org").date(DAY.plusSeconds(60)).folders("INBOX", "Work")
                .attachment("a.pdf", "application/pdf", AttachmentSource.bytes(new byte[] {1})).store();
        list(id, "alice").execute();
        String text = output();
        assertThat(text.lines().findFirst().orElseThrow()).contains("ID", "Date", "Dir", "From", "Subject", "Att", "Folders");
        assertThat(text).contains("Carol C. <carol@example.org>", "received", "INBOX, Work", "2026-11-20T09:31:00Z", "yes");
        assertThat(text.indexOf("Newer")).isLessThan(text.indexOf("Older"));
        assertThat(text).doesNotContain("More:");
    }

    @Test
    void pagesGoOnWithThePrintedCursor() throws Exception {
        MailboxId id = connect("alice", SettingsUpdate.NONE);
        for (int i = 1; i <= 3; i++) {
            messages.draft(id).subject("Message " + i).date(DAY.plusSeconds(i)).store();
        }
        MessagesCommand first = list(id, "alice");
        first.limit = "2";
        first.execute();
        String page1 = output();
        assertThat(page1).contains("Message 3", "Message 2").doesNotContain("Message 1");
        Matcher more = Pattern.compile("More: postroom:messages " + id + " --limit 2 --cursor (\\S+)").matcher(page1);
        assertThat(more.find()).as(page1).isTrue();

        MessagesCommand next = list(id, "alice");
        next.limit = "2";
        next.cursor = more.group(1);
        next.execute();
        assertThat(output()).contains("Message 1").doesNotContain("Message 2", "More:");
    }

    @Test
    void folderFilters() throws Exception {
        MailboxId id = connect("alice", SettingsUpdate.NONE);
        messages.draft(id).subject("In the inbox").store();
        messages.draft(id).subject("Sent one").sent().folders("Sent").store();
        MessagesCommand c = list(id, "alice");
        c.folder = "Sent";
        c.execute();
        assertThat(output()).contains("Sent one", "sent").doesNotContain("In the inbox");
    }

    @Test
    void badOptionsAreRefusedNamingThem() {
        MailboxId id = connect("alice", SettingsUpdate.NONE);
        MessagesCommand c = list(id, "alice");
        for (String bad : List.of("0", "201", "ten")) {
            c.limit = bad;
            assertThat(failureOf(c)).isEqualTo("Error (invalid_input): The value of --limit is a whole number from 1 to 200, not '" + bad + "'.");
        }
        c.limit = null;
        c.cursor = "not-a-cursor";
        assertThat(failureOf(c)).startsWith("Error (invalid_input): This cursor is not one this list handed out");
        c.cursor = null;
        c.folder = "IN\r\nBOX";
        assertThat(failureOf(c)).startsWith("Error (header_injection): The value of --folder must not contain line breaks.");
    }

    @Test
    void anotherUsersMailboxIsNotFound() {
        MailboxId bobs = connect("bob", SettingsUpdate.NONE);
        assertThat(failureOf(list(bobs, "alice"))).isEqualTo("Error (mailbox_not_found): There is no mailbox " + bobs + ".");
    }

    // ---------------------------------------------------------------- postroom:message-show

    @Test
    void showPrintsHeadersTextAndAttachments() throws Exception {
        MailboxId id = connect("alice", SettingsUpdate.NONE);
        Message parent = messages.draft(id).subject("Question").store();
        Message m = messages.draft(id).subject("Re: Question").from("Bob", "bob@example.org").cc("Carol", "carol@example.org")
                .replyTo(parent.summary().id()).flag("\\Seen").problem("UNKNOWN_CHARSET")
                .text("Hello Alice,\n\nthe answer is 42.\n")
                .attachment("answer.pdf", "application/pdf", AttachmentSource.bytes(new byte[1234]))
                .attachment("", "image/png", AttachmentSource.bytes(new byte[5])).store();
        show(m, "alice").execute();
        String text = output();
        assertThat(text).contains("ID:", m.summary().id().toString(), "From:", "Bob <bob@example.org>", "To:", "alice@example.org",
                "Cc:", "Carol <carol@example.org>", "Subject:", "Re: Question", "Message-ID:", m.messageIdHeader(),
                "In-Reply-To:", parent.messageIdHeader(), "Folders:", "INBOX", "Flags:", "\\Seen", "Problems:", "UNKNOWN_CHARSET",
                "Hello Alice,\n\nthe answer is 42.", "File name", "answer.pdf", "application/pdf", "1234", "image/png");
        assertThat(text).doesNotContain("Bcc:", "List-Id:");
        assertThat(text.indexOf("Subject:")).isLessThan(text.indexOf("the answer is 42")).isLessThan(text.indexOf("answer.pdf"));
    }

    @Test
    void showWithHtmlPrintsTheSanitisedHtml() throws Exception {
        MailboxId id = connect("alice", SettingsUpdate.NONE);
        Message m = messages.draft(id).text("plain words").html("<p>rich <b>words</b></p>").store();
        MessageShowCommand c = show(m, "alice");
        c.html = true;
        c.execute();
        assertThat(output()).contains("<p>rich <b>words</b></p>").doesNotContain("plain words");
        MessageShowCommand noHtml = show(messages.draft(id).store(), "alice");
        noHtml.html = true;
        noHtml.execute();
        assertThat(output()).contains("(no HTML part)");
    }

    @Test
    void terminalEscapesInAMessageNeverReachTheConsole() throws Exception {
        MailboxId id = connect("alice", SettingsUpdate.NONE);
        Message m = messages.draft(id).subject("Hi\u001b]0;pwned\u0007 there").from("Eve\u001b[2J", "eve@example.org")
                .text("line one\r\n\u001b[1A\u001b[2Kline two\u009b31m \u202Eevil\n")
                .attachment("x\u001b[5m.pdf", "application/pdf", AttachmentSource.bytes(new byte[1])).store();
        show(m, "alice").execute();
        String shown = output();
        list(id, "alice").execute();
        String listed = output();
        for (String text : List.of(shown, listed)) {
            assertThat(text).doesNotContain("\u001b", "\u0007", "\u009b", "\u202E", "\r");
        }
        assertThat(shown).contains("Hi]0;pwned there", "line one\n[1A[2Kline two31m evil", "x[5m.pdf");
        assertThat(listed).contains("Eve[2J <eve@example.org>");
    }

    @Test
    void privateMailboxHidesTheContentFromOthers() throws Exception {
        MailboxId id = connect("alice", InMemoryMailboxService.sharedWith(true, "bob"));
        Message m = messages.draft(id).subject("Salary").text("very private").store();
        show(m, "bob").execute();
        String text = output();
        assertThat(text).contains(MessagePrinter.HIDDEN).doesNotContain("Salary", "very private");
        list(id, "bob").execute();
        assertThat(output()).contains(MessagePrinter.HIDDEN).doesNotContain("Salary");
    }

    @Test
    void unknownMessageAndBadIdFail() {
        MailboxId bobs = connect("bob", SettingsUpdate.NONE);
        Message m = messages.draft(bobs).store();
        assertThat(failureOf(show(m, "alice"))).isEqualTo("Error (message_not_found): There is no message " + m.summary().id() + ".");
        MessageShowCommand bad = command(new MessageShowCommand(), "alice");
        bad.id = "abc";
        assertThat(failureOf(bad)).isEqualTo("Error (invalid_input): A message id is a positive number, not 'abc'.");
    }

    @Test
    void withoutTheMessageServiceTheCommandsSaySo() {
        MailboxId id = connect("alice", SettingsUpdate.NONE);
        Message m = messages.draft(id).store();
        MessagesCommand l = list(id, "alice");
        MessageShowCommand s = show(m, "alice");
        for (PostroomCommand c : List.<PostroomCommand>of(l, s)) {
            c.messages = null;
            assertThat(failureOf(c)).startsWith("Error (unavailable): Messages are not available: the Postroom message service is not running");
        }
    }
}
