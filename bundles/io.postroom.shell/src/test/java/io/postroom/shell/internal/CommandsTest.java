package io.postroom.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.testing.fakes.InMemoryMailboxService;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.junit.jupiter.api.Test;

/** The mailbox commands as Karaf runs them (fields injected, execute called) against an in-memory service. */
class CommandsTest extends CommandFixture {
    private static final String PASSWORD = "Pa55-word-never-shown";

    private MailboxAddCommand add(String user, String address) {
        MailboxAddCommand add = command(new MailboxAddCommand(), user, null);
        add.address = address;
        add.preset = "gmail";
        add.password = PASSWORD;
        return add;
    }

    private long create(String user) throws Exception {
        String address = newAddress(user);
        add(user, address).execute();
        output();
        return mailboxes.list(io.postroom.api.Actor.of("demo", user)).stream()
                .filter(m -> m.address().value().equals(address)).findFirst().orElseThrow().id().value();
    }

    // ---------------------------------------------------------------- mailbox-add

    @Test
    void addProbesThenCreatesAndTellsAboutTheCode() throws Exception {
        MailboxAddCommand add = add("alice", "alice@example.org");
        add.syncPeriod = "1m";
        add.folders = List.of("INBOX", "Sent");
        add.senderName = "Alice";
        add.execute();
        String text = output();
        assertThat(text).contains("Logged in to IMAP imap.gmail.com:993 (ssl) and SMTP smtp.gmail.com:465 (ssl) as alice@example.org.");
        assertThat(text).contains("Folders on the server:", "INBOX", "\\Sent", "\\Trash");
        assertThat(text).contains("Mailbox 1 connected:", "1m", "INBOX, Sent");
        assertThat(text).contains("A verification code was sent to alice@example.org. Confirm it with: postroom:mailbox-verify 1 <code>");
        assertThat(text.indexOf("Folders on the server")).isLessThan(text.indexOf("Mailbox 1 connected"));
        assertThat(text).doesNotContain(PASSWORD);
        assertThat(mailboxes.storedPassword(1)).isEqualTo(PASSWORD);
        assertThat(mailboxes.stored(1).settings().senderName()).isEqualTo("Alice");
    }

    @Test
    void addAsksForThePasswordWhenNotGiven() throws Exception {
        MailboxAddCommand add = command(new MailboxAddCommand(), "alice", "typed-secret");
        add.address = "typed@example.org";
        add.preset = "gmail";
        add.execute();
        assertThat(mailboxes.storedPassword(1)).isEqualTo("typed-secret");
        assertThat(output()).doesNotContain("typed-secret");
    }

    @Test
    void addWithoutPasswordInAHeadlessSessionFailsClearly() {
        MailboxAddCommand add = command(new MailboxAddCommand(), "alice", null);
        add.address = "headless@example.org";
        add.preset = "gmail";
        assertThat(failureOf(add)).isEqualTo(
                "Error (blank_password): No password was typed: give --password, or run the command in an interactive console.");
        assertThat(mailboxes.count()).isZero();
    }

    @Test
    void addWithBadOptionFailsBeforeAskingOrConnecting() {
        MailboxAddCommand add = add("alice", "a@example.org");
        add.syncPeriod = "2w";
        assertThat(failureOf(add)).startsWith("Error (sync_period_not_offered): The sync period '2w' is not offered");
        add.syncPeriod = null;
        add.senderName = "Alice\r\nBcc: x@evil.example";
        assertThat(failureOf(add)).startsWith("Error (header_injection):");
        add.senderName = null;
        add.imapSecurity = "tls";
        assertThat(failureOf(add)).isEqualTo("Error (invalid_input): 'tls' is not a valid value of --imap-security; choose one of ssl, starttls, none.");
        assertThat(mailboxes.count()).isZero();
    }

    @Test
    void addOfADuplicateFailsWithTheServiceCode() throws Exception {
        add("alice", "dup@example.org").execute();
        int before = mailboxes.count();
        assertThat(failureOf(add("bob", "dup@example.org"))).startsWith("Error (duplicate_address): ");
        assertThat(mailboxes.count()).isEqualTo(before);
    }

    @Test
    void addWithUnreachableServerFailsWithTheReason() {
        MailboxAddCommand add = add("alice", "x@example.org");
        add.preset = null;
        add.imapHost = "imap.example.invalid";
        add.smtpHost = "smtp.example.org";
        assertThat(failureOf(add)).startsWith("Error (connection_failed): IMAP connect to imap.example.invalid:993 failed");
        assertThat(mailboxes.count()).isZero();
    }

    @Test
    void optionsMapToSettingsAndConnection() {
        MailboxSetCommand set = new MailboxSetCommand();
        assertThat(set.settingsUpdate()).isEqualTo(SettingsUpdate.NONE);
        set.senderName = "Alice";
        set.nameTemplate = "{{first_name}}";
        set.accessLevel = "shared";
        set.sharedWith = List.of("bob", "carol");
        set.visibility = "everyone";
        set.privateMessages = "yes";
        set.allowedSenders = List.of("");
        set.crmLinking = "no";
        set.keep = "received";
        set.syncPeriod = "7d";
        set.folders = List.of("INBOX");
        SettingsUpdate u = set.settingsUpdate();
        assertThat(u).isEqualTo(new SettingsUpdate("Alice", "{{first_name}}", AccessLevel.SHARED,
                java.util.Set.of(UserId.of("bob"), UserId.of("carol")), MessageVisibility.EVERYONE, true, java.util.Set.of(), false,
                KeepPolicy.RECEIVED, SyncPeriod.DAYS_7, List.of("INBOX")));
        set.imapHost = "imap.example.org";
        set.imapPort = "1993";
        set.smtpSecurity = "starttls";
        var c = set.connectionUpdate(null);
        assertThat(c.imapHost()).isEqualTo("imap.example.org");
        assertThat(c.imapPort()).isEqualTo(1993);
        assertThat(c.smtpSecurity()).isEqualTo(Security.STARTTLS);
        assertThat(c.password()).isNull();
    }

    // ---------------------------------------------------------------- other commands

    @Test
    void listAndShow() throws Exception {
        long id = create("alice");
        command(new MailboxListCommand(), "alice", null).execute();
        assertThat(output()).contains("alice1@example.org", "14d");
        command(new MailboxListCommand(), "bob", null).execute();
        assertThat(output()).contains("No mailboxes.").doesNotContain("alice1@example.org");
        MailboxShowCommand show = command(new MailboxShowCommand(), "alice", null);
        show.id = Long.toString(id);
        show.execute();
        assertThat(output()).contains("Address:", "alice1@example.org", "imap.gmail.com:993 (ssl)");
    }

    @Test
    void showOfAnotherUsersMailboxIsNotFound() throws Exception {
        long id = create("alice");
        MailboxShowCommand show = command(new MailboxShowCommand(), "bob", null);
        show.id = Long.toString(id);
        assertThat(failureOf(show)).isEqualTo("Error (mailbox_not_found): There is no mailbox " + id + ".");
        show.id = "abc";
        assertThat(failureOf(show)).startsWith("Error (invalid_input): A mailbox id is a positive number");
    }

    @Test
    void setChangesOnlyWhatIsGiven() throws Exception {
        long id = create("alice");
        MailboxSetCommand set = command(new MailboxSetCommand(), "alice", null);
        set.id = Long.toString(id);
        set.syncPeriod = "1y";
        set.password = "new-Pa55";
        set.execute();
        assertThat(output()).contains("1y").doesNotContain("new-Pa55");
        Mailbox m = mailboxes.stored(id);
        assertThat(m.settings().syncPeriod()).isEqualTo(SyncPeriod.YEAR_1);
        assertThat(m.settings().keep()).isEqualTo(KeepPolicy.BOTH);
        assertThat(mailboxes.storedPassword(id)).isEqualTo("new-Pa55");
    }

    @Test
    void setWithAskPasswordPrompts() throws Exception {
        long id = create("alice");
        MailboxSetCommand set = command(new MailboxSetCommand(), "alice", "prompted-Pa55");
        set.id = Long.toString(id);
        set.askPassword = true;
        set.execute();
        assertThat(mailboxes.storedPassword(id)).isEqualTo("prompted-Pa55");
    }

    @Test
    void setWithNothingToChangeFails() throws Exception {
        long id = create("alice");
        MailboxSetCommand set = command(new MailboxSetCommand(), "alice", null);
        set.id = Long.toString(id);
        assertThat(failureOf(set)).startsWith("Error (invalid_input): Nothing to change");
    }

    @Test
    void setByAnotherUserIsRefusedAndChangesNothing() throws Exception {
        long id = create("alice");
        MailboxSetCommand set = command(new MailboxSetCommand(), "bob", null);
        set.id = Long.toString(id);
        set.syncPeriod = "1y";
        assertThat(failureOf(set)).startsWith("Error (mailbox_not_found)");
        assertThat(mailboxes.stored(id).settings().syncPeriod()).isEqualTo(SyncPeriod.DEFAULT);
    }

    @Test
    void testSucceedsOrFailsTheCommand() throws Exception {
        long id = create("alice");
        MailboxTestCommand test = command(new MailboxTestCommand(), "alice", null);
        test.id = Long.toString(id);
        test.execute();
        assertThat(output()).contains("Connection OK", "INBOX");
        mailboxes.serversDown(true);
        assertThat(failureOf(test)).startsWith("Error (connection_failed): IMAP connect to imap.gmail.com:993 failed: the server did not answer in time.")
                .endsWith("Failures in a row: 1.");
    }

    @Test
    void verifySendCodeDefaultDeactivateActivateDelete() throws Exception {
        long id = create("alice");
        String ids = Long.toString(id);

        MailboxDefaultCommand noDefault = command(new MailboxDefaultCommand(), "alice", null);
        noDefault.execute();
        assertThat(output()).contains("You have no default mailbox for sending");
        MailboxDefaultCommand setDefault = command(new MailboxDefaultCommand(), "alice", null);
        setDefault.id = ids;
        assertThat(failureOf(setDefault)).startsWith("Error (mailbox_not_verified)");

        MailboxVerifyCommand wrong = command(new MailboxVerifyCommand(), "alice", null);
        wrong.id = ids;
        wrong.code = "000000";
        assertThat(failureOf(wrong)).startsWith("Error (verification_code_wrong)");
        MailboxSendCodeCommand send = command(new MailboxSendCodeCommand(), "alice", null);
        send.id = ids;
        send.execute();
        assertThat(output()).contains("A new verification code was sent; it expires at ");
        MailboxVerifyCommand verify = command(new MailboxVerifyCommand(), "alice", null);
        verify.id = ids;
        verify.code = InMemoryMailboxService.CODE;
        verify.execute();
        assertThat(output()).contains("is verified and may send.");

        setDefault.execute();
        assertThat(output()).contains("is now your default for sending");
        noDefault.execute();
        assertThat(output()).contains("Your default mailbox for sending is " + id);

        MailboxDeactivateCommand off = command(new MailboxDeactivateCommand(), "alice", null);
        off.id = ids;
        off.reason = "On holiday";
        off.execute();
        assertThat(output()).contains("is inactive: On holiday");
        off.reason = "a\nb";
        assertThat(failureOf(off)).startsWith("Error (header_injection)");
        MailboxActivateCommand on = command(new MailboxActivateCommand(), "alice", null);
        on.id = ids;
        on.execute();
        assertThat(output()).contains("is active.");

        MailboxDeleteCommand delete = command(new MailboxDeleteCommand(), "alice", null);
        delete.id = ids;
        delete.execute();
        assertThat(output()).contains("Mailbox " + id + " deleted.");
        assertThat(failureOf(delete)).startsWith("Error (mailbox_not_found)");
    }

    @Test
    void presets() throws Exception {
        command(new PresetsCommand(), "alice", null).execute();
        assertThat(output()).contains("gmail", "outlook", "custom");
    }

    @Test
    void withoutALoggedInUserEveryCommandFails() {
        assertThat(failureOf(command(new MailboxListCommand(), null, null))).startsWith("Error (unauthenticated): No user is logged in");
    }

    @Test
    void serviceFailureOfAnyKindIsShownWithItsCode() {
        mailboxes.failNextWith(new PostroomException(ErrorCode.UNAVAILABLE, "The database is down; try again later."));
        assertThat(failureOf(command(new MailboxListCommand(), "alice", null)))
                .isEqualTo("Error (unavailable): The database is down; try again later.");
    }

    // ---------------------------------------------------------------- completion

    @Test
    void mailboxIdsCompleteToTheActorsMailboxes() throws Exception {
        long alices = create("alice");
        long bobs = create("bob");
        Completers.MailboxIds completer = new Completers.MailboxIds();
        completer.mailboxes = mailboxes;
        completer.actors = actors;
        List<String> candidates = new ArrayList<>();
        completer.complete(TestSession.of("alice", null), commandLine("postroom:mailbox-show", ""), candidates);
        assertThat(candidates).anyMatch(c -> c.strip().equals(Long.toString(alices))).noneMatch(c -> c.strip().equals(Long.toString(bobs)));
        List<String> none = new ArrayList<>();
        completer.complete(TestSession.of(null, null), commandLine("postroom:mailbox-show", ""), none);
        assertThat(none).isEmpty();
    }

    @Test
    void fixedValuesComplete() {
        List<String> candidates = new ArrayList<>();
        new Completers.Securities().complete(null, commandLine("postroom:mailbox-add", "--imap-security", "st"), candidates);
        assertThat(candidates).extracting(String::strip).containsExactly("starttls");
        candidates.clear();
        new Completers.SyncPeriods().complete(null, commandLine("postroom:mailbox-add", "--sync-period", ""), candidates);
        assertThat(candidates).extracting(String::strip).containsExactlyInAnyOrder("7d", "14d", "1m", "3m", "1y");
    }

    @Test
    void foldersCompleteFromTheMailboxOnTheCommandLine() throws Exception {
        long id = create("alice");
        MailboxSetCommand set = command(new MailboxSetCommand(), "alice", null);
        set.id = Long.toString(id);
        set.folders = List.of("INBOX", "Trash");
        set.execute();
        Completers.Folders completer = new Completers.Folders();
        completer.mailboxes = mailboxes;
        completer.actors = actors;
        List<String> candidates = new ArrayList<>();
        completer.complete(TestSession.of("alice", null), commandLine("postroom:mailbox-set", Long.toString(id), "--folder", "T"), candidates);
        assertThat(candidates).extracting(String::strip).containsExactly("Trash");
        assertThat(Completers.mailboxIdsIn(commandLine("postroom:mailbox-set", "--imap-port", "993", "7", "--folder", "")))
                .containsExactly("7");
    }

    // ---------------------------------------------------------------- what Karaf and the docs rely on

    @Test
    void everyCommandIsAKarafServiceWithADescription() {
        List<Class<?>> commands = List.of(PresetsCommand.class, MailboxAddCommand.class, MailboxListCommand.class,
                MailboxShowCommand.class, MailboxTestCommand.class, MailboxSetCommand.class, MailboxVerifyCommand.class,
                MailboxSendCodeCommand.class, MailboxDeactivateCommand.class, MailboxActivateCommand.class,
                MailboxDeleteCommand.class, MailboxDefaultCommand.class, SyncCommand.class, SyncStatusCommand.class,
                SyncQuarantineCommand.class, MessagesCommand.class, MessageShowCommand.class);
        List<String> names = new ArrayList<>();
        for (Class<?> c : commands) {
            Command command = c.getAnnotation(Command.class);
            assertThat(command.scope()).isEqualTo("postroom");
            assertThat(command.description()).as(c.getName()).isNotBlank();
            assertThat(c.getAnnotation(Service.class)).isNotNull();
            assertThat(java.lang.reflect.Modifier.isPublic(c.getModifiers())).isTrue();
            names.add(command.name());
            for (Class<?> k = c; k != Object.class; k = k.getSuperclass()) {
                for (Field f : k.getDeclaredFields()) {
                    Option o = f.getAnnotation(Option.class);
                    Argument a = f.getAnnotation(Argument.class);
                    if (o != null) {
                        assertThat(o.description()).as(c.getSimpleName() + " " + o.name()).isNotBlank();
                    }
                    if (a != null) {
                        assertThat(a.description()).as(c.getSimpleName() + " " + a.name()).isNotBlank();
                    }
                    Completion completion = f.getAnnotation(Completion.class);
                    if (completion != null) {
                        assertThat(completion.value().getAnnotation(Service.class)).isNotNull();
                    }
                }
            }
        }
        assertThat(names).containsExactly("presets", "mailbox-add", "mailbox-list", "mailbox-show", "mailbox-test",
                "mailbox-set", "mailbox-verify", "mailbox-send-code", "mailbox-deactivate", "mailbox-activate", "mailbox-delete",
                "mailbox-default", "sync", "sync-status", "sync-quarantine", "messages", "message-show");
    }

    /** A command line with the cursor at the end of the last word. */
    private static CommandLine commandLine(String... words) {
        String buffer = String.join(" ", words);
        return new CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return words.length - 1;
            }

            @Override
            public String getCursorArgument() {
                return words[words.length - 1];
            }

            @Override
            public int getArgumentPosition() {
                return words[words.length - 1].length();
            }

            @Override
            public String[] getArguments() {
                return words;
            }

            @Override
            public int getBufferPosition() {
                return buffer.length();
            }

            @Override
            public String getBuffer() {
                return buffer;
            }
        };
    }
}
