package io.postroom.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.EmailAddress;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.ConnectionSettings;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.api.mailbox.MailboxStats;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Preset;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SpecialUse;
import io.postroom.api.mailbox.SyncPeriod;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MailboxPrinterTest {
    static final Instant CREATED = Instant.parse("2026-11-20T09:30:00Z");

    static Mailbox mailbox(long id, MailboxState state, String reason) {
        return new Mailbox(MailboxId.of(id), TenantId.of("demo"), UserId.of("alice"), EmailAddress.of("alice@example.org"),
                "Alice Smith",
                new ConnectionSettings("custom", EmailAddress.of("alice@example.org"), "alice-login",
                        new Endpoint("imap.example.org", 993, Security.SSL), new Endpoint("smtp.example.org", 587, Security.STARTTLS)),
                new MailboxSettings("Alice S.", "{{first_name}} {{last_name}}", AccessLevel.SHARED, Set.of(UserId.of("carol"), UserId.of("bob")),
                        MessageVisibility.OWNER_AND_MANAGERS, true, Set.of(), true, KeepPolicy.SENT, SyncPeriod.MONTHS_3,
                        List.of("INBOX", "Sent")),
                state, reason, true, 2, "IMAP connect failed", true,
                new MailboxStats(120, 45, CREATED, CREATED.plusSeconds(60), null), CREATED, CREATED.plusSeconds(3600));
    }

    static String print(Consumer<PrintStream> printer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            printer.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void detailsShowEveryFieldButNoPassword() {
        String text = print(out -> MailboxPrinter.details(mailbox(7, MailboxState.INACTIVE, "On holiday"), out));
        assertThat(text).contains(
                "ID:", "7", "alice@example.org", "Alice Smith", "inactive (On holiday)", "Verified:", "Default for sending:",
                "Failures in a row:", "IMAP connect failed", "alice-login", "imap.example.org:993 (ssl)",
                "smtp.example.org:587 (starttls)", "Alice S.", "{{first_name}} {{last_name}}", "shared", "bob, carol",
                "owner_and_managers", "everyone with access", "sent", "3m", "INBOX, Sent", "120", "45",
                "2026-11-20T09:30:00Z", "2026-11-20T10:30:00Z");
        assertThat(text.toLowerCase()).doesNotContain("password");
        // one field per line, values aligned in one column
        List<String> lines = text.lines().toList();
        assertThat(lines).anySatisfy(l -> assertThat(l).matches("Address:\\s+\\| alice@example\\.org\\s*"));
        int column = lines.get(0).indexOf('|');
        assertThat(lines).allSatisfy(l -> assertThat(l.indexOf('|')).isEqualTo(column));
    }

    @Test
    void whatTheMailServerSaidCannotControlTheTerminal() {
        String esc = "\u001b]0;pwned\u0007\u001b[2J";
        Mailbox m = mailbox(7, MailboxState.INACTIVE, "10 failures: " + esc);
        Mailbox hostile = new Mailbox(m.id(), m.tenant(), m.owner(), m.address(), m.name(), m.connection(),
                new MailboxSettings("Alice", "", AccessLevel.PERSONAL, Set.of(), MessageVisibility.OWNER_ONLY, false, Set.of(),
                        true, KeepPolicy.BOTH, SyncPeriod.DAYS_14, List.of("INBOX" + esc)),
                m.state(), m.inactiveReason(), true, 10, "IMAP login failed: " + esc, false,
                new MailboxStats(1, 0, CREATED, CREATED, "server said " + esc), CREATED, CREATED);
        String details = print(out -> MailboxPrinter.details(hostile, out));
        String folders = print(out -> MailboxPrinter.folders(List.of(new RemoteFolder("INBOX" + esc, Set.of(), true)), out));
        for (String text : List.of(details, folders)) {
            assertThat(text).doesNotContain("\u001b").doesNotContain("\u0007").contains("]0;pwned");
        }
        assertThat(details).contains("IMAP login failed:", "server said");
    }

    @Test
    void listIsATableWithOneRowPerMailbox() {
        String text = print(out -> MailboxPrinter.list(List.of(mailbox(7, MailboxState.ACTIVE, null), mailbox(12, MailboxState.INACTIVE, "x")),
                out, true));
        List<String> lines = text.lines().toList();
        assertThat(lines.get(0)).contains("ID", "Address", "Name", "Owner", "State", "Verified", "Default", "Sync period", "Last sync");
        assertThat(lines.get(1)).matches("[-+]+");
        assertThat(lines.get(2)).startsWith("7 ").contains("alice@example.org", "active", "yes", "3m", "2026-11-20T09:31:00Z");
        assertThat(lines.get(3)).contains("12", "inactive");
        assertThat(lines).hasSize(4);
    }

    @Test
    void listWithoutFormatHasNoHeaderOrBorders() {
        String text = print(out -> MailboxPrinter.list(List.of(mailbox(7, MailboxState.ACTIVE, null)), out, false));
        assertThat(text.lines().toList()).hasSize(1);
        assertThat(java.util.Arrays.stream(text.strip().split("\t")).map(String::strip).toList())
                .startsWith("7", "alice@example.org", "Alice Smith", "alice", "active");
    }

    @Test
    void emptyListSaysSo() {
        assertThat(print(out -> MailboxPrinter.list(List.of(), out, true))).contains("No mailboxes.");
    }

    @Test
    void foldersShowTheirSpecialUse() {
        String text = print(out -> MailboxPrinter.folders(List.of(new RemoteFolder("INBOX", Set.of(), true),
                new RemoteFolder("[Gmail]/Sent Mail", Set.of(SpecialUse.SENT), true),
                new RemoteFolder("[Gmail]", Set.of(), false)), out));
        assertThat(text).contains("Folder", "Special use", "[Gmail]/Sent Mail", "\\Sent");
        assertThat(text.lines().filter(l -> l.contains("[Gmail] ")).findFirst().orElseThrow()).contains("no");
    }

    @Test
    void presetsShowServersOrThatTheUserEntersThem() {
        String text = print(out -> MailboxPrinter.presets(List.of(
                new Preset("gmail", "Gmail", new Endpoint("imap.gmail.com", 993, Security.SSL),
                        new Endpoint("smtp.gmail.com", 465, Security.SSL), "Use an app password."),
                new Preset("custom", "Own domain", null, null, "")), out, true));
        assertThat(text).contains("gmail", "imap.gmail.com:993 (ssl)", "Use an app password.", "custom", "(you enter it)");
    }

    @Test
    void errorsNameTheirCode() {
        assertThat(MailboxPrinter.error(new PostroomException(ErrorCode.DUPLICATE_ADDRESS, "a@example.org is already connected.")))
                .isEqualTo("Error (duplicate_address): a@example.org is already connected.");
    }
}
