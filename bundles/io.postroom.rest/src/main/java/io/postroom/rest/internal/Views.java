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

    static ErrorView error(String code, String message, Map<String, Object> details) {
        return new ErrorView(new ErrorBody(code, message, details == null ? Map.of() : details));
    }

    private static List<String> userIds(Collection<UserId> ids) {
        return ids.stream().map(UserId::value).sorted().toList();
    }
}
