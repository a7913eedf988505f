package io.postroom.shell.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.Actor;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.message.MessageService;
import io.postroom.api.sync.FolderStatus;
import io.postroom.api.sync.QuarantinedMessage;
import io.postroom.api.sync.SyncOutcome;
import io.postroom.api.sync.SyncService;
import io.postroom.api.sync.SyncState;
import io.postroom.testing.fakes.InMemoryMailboxService;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.junit.jupiter.api.Test;

/** The sync commands as Karaf runs them, against in-memory services; waiting is driven step by step, never timed. */
class SyncCommandsTest extends CommandFixture {
    private static final Instant AT = Instant.parse("2026-11-20T09:30:00Z");

    /** A sync command whose pauses run the given steps, one per pause, as a sync engine would advance meanwhile. */
    private SyncCommand syncCommand(MailboxId id, String user, Runnable... steps) {
        SyncCommand c = command(new SyncCommand(), user);
        c.id = id.toString();
        Deque<Runnable> script = new ArrayDeque<>(List.of(steps));
        c.pause = () -> {
            if (script.isEmpty()) {
                throw new AssertionError("The command waited longer than the script");
            }
            script.poll().run();
        };
        return c;
    }

    // ---------------------------------------------------------------- postroom:sync

    @Test
    void syncWithNoWaitOnlyQueues() throws Exception {
        MailboxId id = connect("alice");
        SyncCommand c = syncCommand(id, "alice");
        c.noWait = true;
        c.execute();
        assertThat(output()).contains("Sync of mailbox " + id + " queued.", "postroom:sync-status " + id);
        assertThat(sync.state(id)).isEqualTo(SyncState.QUEUED);
        assertThat(sync.syncRequests(id)).isEqualTo(1);
    }

    @Test
    void syncShowsProgressUntilTheRunEndsAndThenItsOutcome() throws Exception {
        MailboxId id = connect("alice");
        SyncCommand c = syncCommand(id, "alice",
                () -> { },
                () -> sync.start(id, 3, 450),
                () -> sync.progress(id, 1, "INBOX", 120),
                () -> { },
                () -> sync.progress(id, 2, "Sent", 300),
                () -> sync.finish(id, SyncOutcome.SUCCEEDED, 450, null));
        c.execute();
        String text = output();
        assertThat(text).contains(
                "Sync of mailbox " + id + " queued.",
                "Queued: a node picks it up within seconds",
                "Running on node-a: (0 of 3 folders done), 0 of about 450 messages",
                "Running on node-a: folder INBOX (1 of 3 folders done), 120 of about 450 messages",
                "Running on node-a: folder Sent (2 of 3 folders done), 300 of about 450 messages",
                "Sync finished: 450 new messages stored, 0 flag changes, 0 removed on the server (took ");
        assertThat(text.split("folder INBOX", -1)).as("an unchanged progress is printed once").hasSize(2);
        assertThat(text.split("Queued:", -1)).hasSize(2);
    }

    @Test
    void aFailedRunFailsTheCommandWithItsError() {
        MailboxId id = connect("alice");
        SyncCommand c = syncCommand(id, "alice",
                () -> sync.start(id, 1, 0),
                () -> sync.finish(id, SyncOutcome.FAILED, 0, "IMAP login refused: the password was changed; update it with postroom:mailbox-set."));
        assertThat(failureOf(c)).startsWith("Sync failed: IMAP login refused: the password was changed")
                .contains("Next attempt at ");
    }

    @Test
    void aPartialRunSaysWhatWasQuarantined() throws Exception {
        MailboxId id = connect("alice");
        SyncCommand c = syncCommand(id, "alice", () -> sync.start(id, 1, 5), () -> sync.finish(id, SyncOutcome.PARTIAL, 4, null));
        c.execute();
        assertThat(output()).contains("Sync finished with problems: 4 new messages stored");
    }

    @Test
    void ctrlCStopsWatchingButNotTheSync() throws Exception {
        MailboxId id = connect("alice");
        SyncCommand c = command(new SyncCommand(), "alice");
        c.id = id.toString();
        c.pause = new SyncCommand.Pause() {
            private int calls;

            @Override
            public void pause() throws InterruptedException {
                if (++calls == 1) {
                    sync.start(id, 2, 10);
                    return;
                }
                throw new InterruptedException(); // what Karaf does on Ctrl-C
            }
        };
        c.execute();
        assertThat(output()).contains("Running on node-a", "Stopped watching; the sync goes on in the background");
        assertThat(sync.state(id)).isEqualTo(SyncState.RUNNING);
    }

    @Test
    void anInterruptFlagSetMeanwhileAlsoStopsWatching() throws Exception {
        MailboxId id = connect("alice");
        SyncCommand c = syncCommand(id, "alice", () -> Thread.currentThread().interrupt());
        c.execute();
        assertThat(output()).contains("Stopped watching");
        assertThat(Thread.interrupted()).as("the flag was consumed").isFalse();
        assertThat(sync.state(id)).isEqualTo(SyncState.QUEUED);
    }

    @Test
    void aSyncAlreadyRunningIsFollowed() throws Exception {
        MailboxId id = connect("alice");
        sync.start(id, 1, 3);
        SyncCommand c = syncCommand(id, "alice", () -> sync.finish(id, SyncOutcome.SUCCEEDED, 3, null));
        c.execute();
        assertThat(output()).contains("already running; following it", "Sync finished: 3 new messages stored");

        sync.start(id, 1, 3);
        SyncCommand noWait = syncCommand(id, "alice");
        noWait.noWait = true;
        assertThat(failureOf(noWait)).startsWith("Error (sync_already_running): ");
    }

    @Test
    void aRunThatStartsAndEndsBetweenTwoLooksIsStillSeen() throws Exception {
        MailboxId id = connect("alice");
        SyncCommand c = syncCommand(id, "alice", () -> {
            sync.start(id, 1, 0);
            sync.finish(id, SyncOutcome.SUCCEEDED, 0, null);
        });
        c.execute();
        assertThat(output()).contains("Sync finished: 0 new messages stored");
    }

    @Test
    void queuedThenIdleWithoutARunDoesNotWaitForEver() throws Exception {
        MailboxId id = connect("alice");
        SyncCommand c = syncCommand(id, "alice", () -> sync.cancel(id));
        c.execute();
        assertThat(output()).contains("is no longer queued, but no new run was recorded (state: idle); see postroom:sync-status " + id);
    }

    @Test
    void aMailboxDeactivatedMeanwhileEndsTheCommandWithAnError() {
        MailboxId id = connect("alice");
        SyncCommand c = syncCommand(id, "alice", () -> mailboxes.deactivate(Actor.of("demo", "alice"), id, "Too many failures"));
        assertThat(failureOf(c)).startsWith("Error (mailbox_inactive): Mailbox " + id + " became inactive");
    }

    @Test
    void syncOfAnInactiveOrForeignMailboxIsRefused() {
        MailboxId inactive = connect("alice");
        mailboxes.deactivate(Actor.of("demo", "alice"), inactive, null);
        assertThat(failureOf(syncCommand(inactive, "alice"))).startsWith("Error (mailbox_inactive): ");
        MailboxId bobs = connect("bob");
        assertThat(failureOf(syncCommand(bobs, "alice"))).isEqualTo("Error (mailbox_not_found): There is no mailbox " + bobs + ".");
        assertThat(sync.syncRequests(bobs)).isZero();
        SyncCommand bad = syncCommand(bobs, "alice");
        bad.id = "seven";
        assertThat(failureOf(bad)).startsWith("Error (invalid_input): A mailbox id is a positive number");
    }

    // ---------------------------------------------------------------- postroom:sync-status

    @Test
    void statusShowsStateCountsFoldersAndOptionallyRuns() throws Exception {
        MailboxId id = connect("alice");
        sync.start(id, 2, 100);
        sync.finish(id, SyncOutcome.FAILED, 0, "The server did not answer in time.");
        sync.start(id, 2, 100);
        sync.finish(id, SyncOutcome.SUCCEEDED, 100, null);
        sync.folders(id, List.of(new FolderStatus("INBOX", 120, 100, AT, true, null),
                new FolderStatus("Sent", 7, 0, null, false, "NO [CANNOT] \u001b[31mred\u001b[0m")));
        sync.quarantine(new QuarantinedMessage(id, "INBOX", 1, 2, "broken", 1, AT, false));
        SyncStatusCommand c = command(new SyncStatusCommand(), "alice");
        c.id = id.toString();
        c.execute();
        String text = output();
        assertThat(text).contains("State:", "idle", "Next run:", "Last started:", "Last finished:", "Last error:", "none",
                "Messages downloaded:", "100", "Messages assigned:", "Quarantined:",
                "Folder", "On server", "Stored", "Last synced", "Backfill pending", "INBOX", "120", "2026-11-20T09:30:00Z", "yes",
                "Sent", "never", "NO [CANNOT] [31mred[0m");
        assertThat(text).doesNotContain("\u001b").doesNotContain("Run ");

        c.runs = "5";
        c.execute();
        text = output();
        assertThat(text).contains("Trigger", "Outcome", "succeeded", "failed", "The server did not answer in time.", "node-a");
        assertThat(text.indexOf("succeeded")).isLessThan(text.indexOf("failed"));
    }

    @Test
    void statusWhileRunningShowsTheProgress() throws Exception {
        MailboxId id = connect("alice");
        sync.start(id, 3, 0);
        sync.progress(id, 1, "Archive", 42);
        SyncStatusCommand c = command(new SyncStatusCommand(), "alice");
        c.id = id.toString();
        c.execute();
        assertThat(output()).contains("running", "folder Archive (1 of 3 folders done), 42 messages", "Running on:", "node-a");
    }

    @Test
    void badRunsOptionIsRefusedNamingIt() {
        MailboxId id = connect("alice");
        SyncStatusCommand c = command(new SyncStatusCommand(), "alice");
        c.id = id.toString();
        for (String bad : List.of("0", "101", "many")) {
            c.runs = bad;
            assertThat(failureOf(c)).isEqualTo("Error (invalid_input): The value of --runs is a whole number from 1 to 100, not '" + bad + "'.");
        }
    }

    // ---------------------------------------------------------------- postroom:sync-quarantine

    @Test
    void quarantineOfAMailboxAndItsRetry() throws Exception {
        MailboxId id = connect("alice");
        sync.quarantine(new QuarantinedMessage(id, "INBOX", 1700000000L, 4711, "BAD [PARSE] unexpected end of BODYSTRUCTURE", 5, AT, true));
        SyncQuarantineCommand c = command(new SyncQuarantineCommand(), "alice");
        c.id = id.toString();
        c.execute();
        String text = output();
        assertThat(text).contains("Mailbox", "Folder", "UIDVALIDITY", "UID", "Attempts", "Last attempt", "Error",
                "1700000000", "4711", "5 (given up)", "2026-11-20T09:30:00Z", "BODYSTRUCTURE");
        c.retry = true;
        c.execute();
        assertThat(output()).contains("1 quarantined messages of mailbox " + id + " will be retried at its next sync (state: queued).");
        assertThat(sync.quarantine(Actor.of("demo", "alice"), id).get(0).givenUp()).isFalse();
    }

    @Test
    void tenantQuarantineIsForAdmins() throws Exception {
        MailboxId alices = connect("alice");
        MailboxId carols = connect("carol");
        sync.quarantine(new QuarantinedMessage(alices, "INBOX", 1, 10, "broken", 1, AT, false));
        sync.quarantine(new QuarantinedMessage(carols, "Sent", 2, 20, "also broken", 2, AT, false));
        command(new SyncQuarantineCommand(), "admin").execute();
        assertThat(output()).contains("broken", "also broken", "Sent");
        assertThat(failureOf(command(new SyncQuarantineCommand(), "alice"))).startsWith("Error (access_denied): ");
    }

    @Test
    void retryNeedsAMailbox() {
        SyncQuarantineCommand c = command(new SyncQuarantineCommand(), "admin");
        c.retry = true;
        assertThat(failureOf(c)).startsWith("Error (invalid_input): Give the mailbox whose quarantined messages to retry");
    }

    @Test
    void emptyQuarantineSaysSo() throws Exception {
        MailboxId id = connect("alice");
        SyncQuarantineCommand c = command(new SyncQuarantineCommand(), "alice");
        c.id = id.toString();
        c.execute();
        assertThat(output()).contains("No quarantined messages.");
    }

    // ---------------------------------------------------------------- without the sync service

    @Test
    void withoutTheSyncServiceTheCommandsSaySo() {
        MailboxId id = connect("alice");
        SyncCommand now = syncCommand(id, "alice");
        SyncStatusCommand status = command(new SyncStatusCommand(), "alice");
        status.id = id.toString();
        SyncQuarantineCommand quarantine = command(new SyncQuarantineCommand(), "alice");
        for (PostroomCommand c : List.<PostroomCommand>of(now, status, quarantine)) {
            c.sync = null;
            assertThat(failureOf(c)).startsWith("Error (unavailable): Synchronisation is not available: the Postroom sync service is not running");
        }
        assertThat(sync.syncRequests(id)).isZero();
    }

    @Test
    void syncAndMessageServicesAreOptionalReferencesSoTheCommandsStayRegistered() throws Exception {
        assertThat(PostroomCommand.class.getDeclaredField("sync").getAnnotation(Reference.class).optional()).isTrue();
        assertThat(PostroomCommand.class.getDeclaredField("messages").getAnnotation(Reference.class).optional()).isTrue();
        assertThat(PostroomCommand.class.getDeclaredField("sync").getType()).isEqualTo(SyncService.class);
        assertThat(PostroomCommand.class.getDeclaredField("messages").getType()).isEqualTo(MessageService.class);
        assertThat(PostroomCommand.class.getDeclaredField("mailboxes").getAnnotation(Reference.class).optional()).isFalse();
    }

    @Test
    void sharedUsersMaySyncAndSeeTheStatus() throws Exception {
        MailboxId id = connect("alice", InMemoryMailboxService.sharedWith(false, "bob"));
        SyncCommand c = syncCommand(id, "bob");
        c.noWait = true;
        c.execute();
        SyncStatusCommand status = command(new SyncStatusCommand(), "bob");
        status.id = id.toString();
        status.execute();
        assertThat(output()).contains("queued");
    }
}
