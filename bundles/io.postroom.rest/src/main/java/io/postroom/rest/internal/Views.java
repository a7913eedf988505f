package io.postroom.rest.internal;

import static io.postroom.rest.internal.JsonBody.token;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.ConnectionSettings;
import io.postroom.api.mailbox.ConnectionTest;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MailboxStats;
import io.postroom.api.mailbox.Preset;
import io.postroom.api.mailbox.ProbeResult;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.SpecialUse;
import io.postroom.api.message.AttachmentInfo;
import io.postroom.api.message.Correspondent;
import io.postroom.api.message.Message;
import io.postroom.api.message.MessagePage;
import io.postroom.api.message.MessageSummary;
import io.postroom.api.sync.FolderStatus;
import io.postroom.api.sync.QuarantinedMessage;
import io.postroom.api.sync.SyncProgress;
import io.postroom.api.sync.SyncRun;
import io.postroom.api.sync.SyncStatus;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The JSON the API answers with, built from the service's records. Views are written field by
 * field from what the API may show: no view has a place for a password. Enum values are written
 * in lower case ({@code starttls}, {@code owner_and_managers}); sync periods as their tokens
 * ({@code 14d}).
 */
final class Views {
    private Views() {
    }

    public record MailboxView(long id, String tenant, String owner, String address, String name, String state,
                              String inactiveReason, boolean verified, boolean defaultForSending, int consecutiveFailures,
                              String lastFailure, ConnectionView connection, SettingsView settings, StatsView stats,
                              Instant createdAt, Instant updatedAt) {
    }

    public record ConnectionView(String preset, String address, String username, EndpointView imap, EndpointView smtp) {
    }

    public record EndpointView(String host, int port, String security) {
    }

    /** The owner's choices, named as in create and PATCH bodies ({@code name} is the name template). */
    public record SettingsView(String senderName, String name, String accessLevel, List<String> sharedWith,
                               String visibility, boolean privateMessages, List<String> allowedSenders,
                               boolean crmLinking, String keep, String syncPeriod, List<String> folders) {
    }

    public record StatsView(long messagesDownloaded, long messagesAssigned, Instant lastSyncStarted,
                            Instant lastSyncFinished, String lastSyncError) {
    }

    public record MailboxListView(List<MailboxView> mailboxes) {
    }

    public record PresetView(String id, String label, boolean custom, EndpointView imap, EndpointView smtp, String hint) {
    }

    public record PresetListView(List<PresetView> presets) {
    }

    public record FolderView(String name, List<String> specialUse, boolean selectable) {
    }

    public record ProbeView(ConnectionView connection, List<FolderView> folders, List<String> imapCapabilities) {
    }

    public record FailureView(String protocol, String step, String reason, String host, int port, String detail,
                              String message, @JsonProperty("transient") boolean transientFailure) {
    }

    public record ConnectionTestView(boolean ok, FailureView failure, List<FolderView> folders, Instant testedAt,
                                     MailboxView mailbox) {
    }

    public record VerificationCodeView(Instant expiresAt) {
    }

    public record ErrorView(ErrorBody error) {
    }

    // ---- sync

    public record SyncStatusView(long mailbox, String state, SyncProgressView progress, Instant nextRunAt,
                                 Instant lastStartedAt, Instant lastFinishedAt, String lastError, long messagesDownloaded,
                                 long messagesAssigned, int quarantined, List<FolderStatusView> folders) {
    }

    public record SyncProgressView(int foldersDone, int foldersTotal, String currentFolder, long messagesDone,
                                   long messagesEstimated, Instant startedAt, String node) {
    }

    public record FolderStatusView(String name, long messagesOnServer, long messagesStored, Instant lastSyncedAt,
                                   boolean backfillPending, String lastError) {
    }

    public record SyncRunView(long id, String trigger, Instant startedAt, Instant finishedAt, String outcome,
                              long messagesStored, long flagChanges, long expunged, int quarantined, String error, String node) {
    }

    public record SyncRunListView(List<SyncRunView> runs) {
    }

    public record QuarantinedMessageView(long mailbox, String folder, long uidValidity, long uid, String error, int attempts,
                                         Instant lastAttemptAt, boolean givenUp) {
    }

    public record QuarantineView(List<QuarantinedMessageView> messages) {
    }

    // ---- messages

    public record CorrespondentView(String name, String address) {
    }

    public record MessageSummaryView(long id, long mailbox, long threadId, String direction, CorrespondentView from,
                                     List<CorrespondentView> to, String subject, String preview, Instant date, long size,
                                     List<String> flags, boolean hasAttachments, List<String> folders, boolean deletedOnServer,
                                     boolean contentHidden) {
    }

    public record MessageListView(List<MessageSummaryView> messages, String nextCursor) {
    }

    public record ThreadView(List<MessageSummaryView> messages) {
    }

    public record AttachmentView(int index, String fileName, String contentType, long size, boolean inline, String contentId) {
    }

    /** A message: the fields of its summary, then its other headers, text, sanitised HTML and attachments. */
    public record MessageView(long id, long mailbox, long threadId, String direction, CorrespondentView from,
                              List<CorrespondentView> to, String subject, String preview, Instant date, long size,
                              List<String> flags, boolean hasAttachments, List<String> folders, boolean deletedOnServer,
                              boolean contentHidden, List<CorrespondentView> cc, List<CorrespondentView> bcc,
                              List<CorrespondentView> replyTo, String messageIdHeader, List<String> inReplyTo,
                              List<String> references, String autoSubmitted, String listId, String text, String html,
                              List<AttachmentView> attachments, List<String> problems) {
    }

    public record ErrorBody(String code, String message, Map<String, Object> details) {
    }

    static MailboxView mailbox(Mailbox m) {
        MailboxStats stats = m.stats() == null ? MailboxStats.EMPTY : m.stats();
        return new MailboxView(m.id().value(), m.tenant().value(), m.owner().value(), m.address().value(), m.name(),
                token(m.state()), m.inactiveReason(), m.verified(), m.defaultForSending(), m.consecutiveFailures(),
                m.lastFailure(), connection(m.connection()), settings(m.settings()),
                new StatsView(stats.messagesDownloaded(), stats.messagesAssigned(), stats.lastSyncStarted(),
                        stats.lastSyncFinished(), stats.lastSyncError()),
                m.createdAt(), m.updatedAt());
    }

    static MailboxListView mailboxes(List<Mailbox> mailboxes) {
        return new MailboxListView(mailboxes.stream().map(Views::mailbox).toList());
    }

    static ConnectionView connection(ConnectionSettings c) {
        return new ConnectionView(c.preset(), c.address().value(), c.username(), endpoint(c.imap()), endpoint(c.smtp()));
    }

    static EndpointView endpoint(Endpoint e) {
        return e == null ? null : new EndpointView(e.host(), e.port(), token(e.security()));
    }

    static SettingsView settings(MailboxSettings s) {
        return new SettingsView(s.senderName(), s.nameTemplate(), token(s.accessLevel()), userIds(s.sharedWith()),
                token(s.visibility()), s.privateMessages(), userIds(s.allowedSenders()), s.crmLinking(), token(s.keep()),
                s.syncPeriod().token(), s.folders());
    }

    static PresetListView presets(List<Preset> presets) {
        return new PresetListView(presets.stream()
                .map(p -> new PresetView(p.id(), p.label(), p.custom(), endpoint(p.imap()), endpoint(p.smtp()), p.hint()))
                .toList());
    }

    static ProbeView probe(ProbeResult r) {
        return new ProbeView(connection(r.connection()), folders(r.folders()),
                r.imapCapabilities().stream().sorted().toList());
    }

    static ConnectionTestView test(ConnectionTest t) {
        return new ConnectionTestView(t.ok(), failure(t.failure()), folders(t.folders()), t.testedAt(),
                t.mailbox() == null ? null : mailbox(t.mailbox()));
    }

    static FailureView failure(ConnectionFailure f) {
        return f == null ? null : new FailureView(f.protocol().name().toLowerCase(java.util.Locale.ROOT),
                token(f.step()), token(f.kind()), f.host(), f.port(), f.detail(), f.describe(), f.kind().isTransient());
    }

    static List<FolderView> folders(List<RemoteFolder> folders) {
        return folders.stream()
                .map(f -> new FolderView(f.name(), f.specialUse().stream().sorted().map(SpecialUse::name)
                        .map(n -> n.toLowerCase(java.util.Locale.ROOT)).toList(), f.selectable()))
                .toList();
    }

    static SyncStatusView syncStatus(SyncStatus s) {
        SyncProgress p = s.progress();
        return new SyncStatusView(s.mailbox().value(), token(s.state()),
                p == null ? null : new SyncProgressView(p.foldersDone(), p.foldersTotal(), p.currentFolder(), p.messagesDone(),
                        p.messagesEstimated(), p.startedAt(), p.node()),
                s.nextRunAt(), s.lastStartedAt(), s.lastFinishedAt(), s.lastError(), s.messagesDownloaded(),
                s.messagesAssigned(), s.quarantined(), s.folders().stream().map(Views::folderStatus).toList());
    }

    static FolderStatusView folderStatus(FolderStatus f) {
        return new FolderStatusView(f.name(), f.messagesOnServer(), f.messagesStored(), f.lastSyncedAt(), f.backfillPending(),
                f.lastError());
    }

    static SyncRunListView runs(List<SyncRun> runs) {
        return new SyncRunListView(runs.stream()
                .map(r -> new SyncRunView(r.id(), token(r.trigger()), r.startedAt(), r.finishedAt(), token(r.outcome()),
                        r.messagesStored(), r.flagChanges(), r.expunged(), r.quarantined(), r.error(), r.node()))
                .toList());
    }

    static QuarantineView quarantine(List<QuarantinedMessage> messages) {
        return new QuarantineView(messages.stream()
                .map(q -> new QuarantinedMessageView(q.mailbox().value(), q.folder(), q.uidValidity(), q.uid(), q.error(),
                        q.attempts(), q.lastAttemptAt(), q.givenUp()))
                .toList());
    }

    static MessageSummaryView summary(MessageSummary m) {
        return new MessageSummaryView(m.id().value(), m.mailbox().value(), m.threadId(), token(m.direction()),
                correspondent(m.from()), correspondents(m.to()), m.subject(), m.preview(), m.date(), m.size(),
                m.flags().stream().sorted().toList(), m.hasAttachments(), m.folders(), m.deletedOnServer(), m.contentHidden());
    }

    static MessageListView messages(MessagePage page) {
        return new MessageListView(page.messages().stream().map(Views::summary).toList(), page.nextCursor());
    }

    static ThreadView thread(List<MessageSummary> messages) {
        return new ThreadView(messages.stream().map(Views::summary).toList());
    }

    /** The message; its {@code html} was sanitised by the service when it was stored. */
    static MessageView message(Message message) {
        MessageSummary m = message.summary();
        return new MessageView(m.id().value(), m.mailbox().value(), m.threadId(), token(m.direction()),
                correspondent(m.from()), correspondents(m.to()), m.subject(), m.preview(), m.date(), m.size(),
                m.flags().stream().sorted().toList(), m.hasAttachments(), m.folders(), m.deletedOnServer(), m.contentHidden(),
                correspondents(message.cc()), correspondents(message.bcc()), correspondents(message.replyTo()),
                message.messageIdHeader(), message.inReplyTo(), message.references(), message.autoSubmitted(),
                message.listId(), message.text(), message.html(), message.attachments().stream().map(Views::attachment).toList(),
                message.problems().stream().sorted().toList());
    }

    static AttachmentView attachment(AttachmentInfo a) {
        return new AttachmentView(a.index(), a.fileName(), a.contentType(), a.size(), a.inline(), a.contentId());
    }

    private static CorrespondentView correspondent(Correspondent c) {
        return c == null ? null : new CorrespondentView(c.name(), c.address());
    }

    private static List<CorrespondentView> correspondents(List<Correspondent> list) {
        return list.stream().map(Views::correspondent).toList();
    }

    static ErrorView error(String code, String message, Map<String, Object> details) {
        return new ErrorView(new ErrorBody(code, message, details == null ? Map.of() : details));
    }

    private static List<String> userIds(Collection<UserId> ids) {
        return ids.stream().map(UserId::value).sorted().toList();
    }
}
