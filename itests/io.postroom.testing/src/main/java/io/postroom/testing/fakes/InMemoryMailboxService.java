package io.postroom.testing.fakes;

import io.postroom.api.Actor;
import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.EmailAddress;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.Secret;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.ConnectionSettings;
import io.postroom.api.mailbox.ConnectionTest;
import io.postroom.api.mailbox.ConnectionUpdate;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxService;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.api.mailbox.MailboxStats;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.NewMailbox;
import io.postroom.api.mailbox.Preset;
import io.postroom.api.mailbox.ProbeResult;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.mailbox.SpecialUse;
import io.postroom.api.mailbox.SyncPeriod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A simple in-memory {@link MailboxService} honouring the contract as far as the REST mapping
 * needs: access rules (owner, tenant admin), validation with the API's error codes, nothing saved
 * on failure. "Servers" are simulated: a host ending in {@code .invalid} is unknown, the password
 * {@value #WRONG_PASSWORD} is refused, every server has INBOX, Sent and Trash. The verification
 * code is always {@value #CODE}. Users: {@link #USERS}; {@code admin} is the tenant admin.
 * Shared by the REST and shell tests.
 */
public final class InMemoryMailboxService implements MailboxService {
    public static final String WRONG_PASSWORD = "wrong-password";
    public static final String CODE = "123456";
    public static final Set<String> USERS = Set.of("alice", "bob", "carol", "admin");
    public static final Set<String> ADMINS = Set.of("admin");

    private static final List<Preset> PRESETS = List.of(
            new Preset("gmail", "Gmail", new Endpoint("imap.gmail.com", 993, Security.SSL),
                    new Endpoint("smtp.gmail.com", 465, Security.SSL), "Use an app password."),
            new Preset("outlook", "Outlook.com", new Endpoint("outlook.office365.com", 993, Security.SSL),
                    new Endpoint("smtp-mail.outlook.com", 587, Security.STARTTLS), ""),
            new Preset(Preset.CUSTOM, "Own domain", null, null, "Enter your provider's servers."));

    private static final List<RemoteFolder> FOLDERS = List.of(
            new RemoteFolder("INBOX", Set.of(), true),
            new RemoteFolder("Sent", Set.of(SpecialUse.SENT), true),
            new RemoteFolder("Trash", Set.of(SpecialUse.TRASH), true));

    private record Stored(Mailbox mailbox, String password) {
    }

    private final Map<MailboxId, Stored> mailboxes = new LinkedHashMap<>();
    private final Map<Actor, MailboxId> defaults = new LinkedHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicReference<RuntimeException> nextFailure = new AtomicReference<>();
    private volatile boolean serversDown;

    /** The next call of any method throws this. */
    public void failNextWith(RuntimeException failure) {
        nextFailure.set(failure);
    }

    /** Connection tests of saved mailboxes fail while true. */
    public void serversDown(boolean down) {
        serversDown = down;
    }

    /** How many mailboxes are stored (all tenants). */
    public synchronized int count() {
        return mailboxes.size();
    }

    /** A stored mailbox as it is, without access checks. */
    public synchronized Mailbox stored(long id) {
        return mailboxes.get(MailboxId.of(id)).mailbox();
    }

    /** The password stored for a mailbox (tests check that it reached the service). */
    public synchronized String storedPassword(long id) {
        return mailboxes.get(MailboxId.of(id)).password();
    }

    /**
     * The mailbox as {@code actor} may see it, without consuming {@link #failNextWith}: what the
     * other fakes use to apply the same access rules (owner, users it is shared with, tenant admins).
     *
     * @throws PostroomException {@code mailbox_not_found} when it does not exist or is not visible
     */
    public synchronized Mailbox visibleTo(Actor actor, MailboxId id) {
        return view(actor, find(actor, id).mailbox());
    }

    /** The mailboxes of the actor's tenant, without access checks (for tenant admins' views). */
    public synchronized List<Mailbox> inTenant(Actor actor) {
        return mailboxes.values().stream().map(Stored::mailbox).filter(m -> m.tenant().equals(actor.tenant())).toList();
    }

    /**
     * Connects a Gmail mailbox owned by {@code user} in tenant {@code demo}, as {@code create} does.
     *
     * @param settings the owner's choices; {@link SettingsUpdate#NONE} for the defaults
     */
    public Mailbox connect(String user, String address, SettingsUpdate settings) {
        return create(Actor.of("demo", user), new NewMailbox(new ConnectionRequest("gmail", address, null, Secret.of("app-password"),
                null, null, null, null, null, null), settings));
    }

    /** A settings change that shares the mailbox with {@code users} and, if {@code privateMessages}, hides its content from them. */
    public static SettingsUpdate sharedWith(boolean privateMessages, String... users) {
        Set<UserId> ids = new java.util.LinkedHashSet<>();
        for (String u : users) {
            ids.add(UserId.of(u));
        }
        return new SettingsUpdate(null, null, AccessLevel.SHARED, ids, null, privateMessages, null, null, null, null, null);
    }

    /** Whether the actor is a tenant admin ({@link #ADMINS}). */
    public static boolean isAdmin(Actor actor) {
        return ADMINS.contains(actor.user().value());
    }

    private void maybeFail() {
        RuntimeException failure = nextFailure.getAndSet(null);
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public List<Preset> presets() {
        maybeFail();
        return PRESETS;
    }

    @Override
    public ProbeResult probe(Actor actor, ConnectionRequest request) {
        maybeFail();
        return new ProbeResult(resolve(request), FOLDERS, Set.of("IMAP4rev1", "CONDSTORE"));
    }

    @Override
    public synchronized Mailbox create(Actor actor, NewMailbox request) {
        maybeFail();
        ConnectionSettings connection = resolve(request.connection());
        for (Stored s : mailboxes.values()) {
            if (s.mailbox().tenant().equals(actor.tenant()) && s.mailbox().address().key().equals(connection.address().key())) {
                throw new PostroomException(ErrorCode.DUPLICATE_ADDRESS,
                        connection.address() + " is already connected in this tenant.", Map.of("field", "address"));
            }
        }
        MailboxSettings settings = apply(defaults(), request.settings());
        Instant now = Instant.now();
        MailboxId id = MailboxId.of(ids.incrementAndGet());
        Mailbox m = new Mailbox(id, actor.tenant(), actor.user(), connection.address(), render(settings, actor.user()),
                connection, settings, MailboxState.ACTIVE, null, false, 0, null, false, MailboxStats.EMPTY, now, now);
        mailboxes.put(id, new Stored(m, request.connection().password().reveal()));
        return m;
    }

    @Override
    public synchronized List<Mailbox> list(Actor actor) {
        maybeFail();
        List<Mailbox> out = new ArrayList<>();
        for (Stored s : mailboxes.values()) {
            if (visible(actor, s.mailbox())) {
                out.add(view(actor, s.mailbox()));
            }
        }
        return out;
    }

    @Override
    public synchronized Mailbox get(Actor actor, MailboxId id) {
        maybeFail();
        return view(actor, find(actor, id).mailbox());
    }

    @Override
    public synchronized Mailbox update(Actor actor, MailboxId id, SettingsUpdate settings, ConnectionUpdate connection) {
        maybeFail();
        Stored s = find(actor, id);
        requireOwner(actor, s.mailbox());
        MailboxSettings changed = apply(s.mailbox().settings(), settings);
        ConnectionSettings c = s.mailbox().connection();
        String password = s.password();
        if (!connection.isEmpty()) {
            if (connection.password() != null) {
                if (connection.password().isBlank()) {
                    throw PostroomException.invalid(ErrorCode.BLANK_PASSWORD, "password", "The password must not be blank.");
                }
                password = connection.password().reveal();
            }
            c = resolve(new ConnectionRequest(c.preset(), c.address().value(),
                    connection.username() == null ? c.username() : connection.username(), Secret.of(password),
                    connection.imapHost() == null ? c.imap().host() : connection.imapHost(),
                    connection.imapPort() == null ? c.imap().port() : connection.imapPort(),
                    connection.imapSecurity() == null ? c.imap().security() : connection.imapSecurity(),
                    connection.smtpHost() == null ? c.smtp().host() : connection.smtpHost(),
                    connection.smtpPort() == null ? c.smtp().port() : connection.smtpPort(),
                    connection.smtpSecurity() == null ? c.smtp().security() : connection.smtpSecurity()));
        }
        Mailbox m = s.mailbox();
        Mailbox updated = new Mailbox(m.id(), m.tenant(), m.owner(), m.address(), render(changed, m.owner()), c, changed,
                m.state(), m.inactiveReason(), m.verified(), m.consecutiveFailures(), m.lastFailure(), false, m.stats(),
                m.createdAt(), Instant.now());
        mailboxes.put(id, new Stored(updated, password));
        return view(actor, updated);
    }

    @Override
    public synchronized ConnectionTest test(Actor actor, MailboxId id) {
        maybeFail();
        Stored s = find(actor, id);
        requireOwner(actor, s.mailbox());
        if (serversDown) {
            Mailbox m = s.mailbox();
            ConnectionFailure failure = new ConnectionFailure(ConnectionFailure.Protocol.IMAP, ConnectionFailure.Step.CONNECT,
                    ConnectionFailure.Kind.TIMEOUT, m.connection().imap().host(), m.connection().imap().port(), "");
            Mailbox failed = with(m, m.state(), m.inactiveReason(), m.verified(), m.consecutiveFailures() + 1, failure.describe());
            mailboxes.put(id, new Stored(failed, s.password()));
            return new ConnectionTest(false, failure, List.of(), Instant.now(), view(actor, failed));
        }
        return new ConnectionTest(true, null, FOLDERS, Instant.now(), view(actor, s.mailbox()));
    }

    @Override
    public synchronized Instant sendVerificationCode(Actor actor, MailboxId id) {
        maybeFail();
        requireOwner(actor, find(actor, id).mailbox());
        return Instant.now().plus(Duration.ofMinutes(15));
    }

    @Override
    public synchronized Mailbox verify(Actor actor, MailboxId id, String code) {
        maybeFail();
        Stored s = find(actor, id);
        requireOwner(actor, s.mailbox());
        if (!CODE.equals(code.strip())) {
            throw PostroomException.invalid(ErrorCode.VERIFICATION_CODE_WRONG, "code", "The verification code is wrong.");
        }
        Mailbox m = s.mailbox();
        Mailbox verified = with(m, m.state(), m.inactiveReason(), true, m.consecutiveFailures(), m.lastFailure());
        mailboxes.put(id, new Stored(verified, s.password()));
        return view(actor, verified);
    }

    @Override
    public synchronized Mailbox deactivate(Actor actor, MailboxId id, String reason) {
        maybeFail();
        Stored s = find(actor, id);
        requireOwnerOrAdmin(actor, s.mailbox());
        Mailbox m = s.mailbox();
        Mailbox inactive = with(m, MailboxState.INACTIVE, reason == null || reason.isBlank() ? "Deactivated by " + actor.user() : reason,
                m.verified(), m.consecutiveFailures(), m.lastFailure());
        mailboxes.put(id, new Stored(inactive, s.password()));
        defaults.values().remove(id);
        return view(actor, inactive);
    }

    @Override
    public synchronized Mailbox activate(Actor actor, MailboxId id) {
        maybeFail();
        Stored s = find(actor, id);
        requireOwner(actor, s.mailbox());
        Mailbox m = s.mailbox();
        Mailbox active = with(m, MailboxState.ACTIVE, null, m.verified(), 0, null);
        mailboxes.put(id, new Stored(active, s.password()));
        return view(actor, active);
    }

    @Override
    public synchronized void delete(Actor actor, MailboxId id) {
        maybeFail();
        requireOwnerOrAdmin(actor, find(actor, id).mailbox());
        mailboxes.remove(id);
        defaults.values().remove(id);
    }

    @Override
    public synchronized Mailbox setDefaultForSending(Actor actor, MailboxId id) {
        maybeFail();
        Mailbox m = find(actor, id).mailbox();
        if (!m.active()) {
            throw new PostroomException(ErrorCode.MAILBOX_INACTIVE, "The mailbox " + m.address() + " is inactive; activate it first.");
        }
        if (!m.verified()) {
            throw new PostroomException(ErrorCode.MAILBOX_NOT_VERIFIED, "Verify " + m.address() + " before sending from it.");
        }
        defaults.put(actor, id);
        return view(actor, m);
    }

    @Override
    public synchronized Optional<Mailbox> defaultForSending(Actor actor) {
        maybeFail();
        MailboxId id = defaults.get(actor);
        return id == null || !mailboxes.containsKey(id) ? Optional.empty() : Optional.of(view(actor, mailboxes.get(id).mailbox()));
    }

    // --- rules

    private Stored find(Actor actor, MailboxId id) {
        Stored s = mailboxes.get(id);
        if (s == null || !visible(actor, s.mailbox())) {
            throw new PostroomException(ErrorCode.MAILBOX_NOT_FOUND, "There is no mailbox " + id + ".", Map.of("id", id.value()));
        }
        return s;
    }

    private static boolean visible(Actor actor, Mailbox m) {
        return m.tenant().equals(actor.tenant()) && (m.owner().equals(actor.user())
                || m.settings().sharedWith().contains(actor.user()) || ADMINS.contains(actor.user().value()));
    }

    private static void requireOwner(Actor actor, Mailbox m) {
        if (!m.owner().equals(actor.user())) {
            throw new PostroomException(ErrorCode.NOT_OWNER, "Only " + m.owner() + " may change " + m.address() + ".");
        }
    }

    private static void requireOwnerOrAdmin(Actor actor, Mailbox m) {
        if (!m.owner().equals(actor.user()) && !ADMINS.contains(actor.user().value())) {
            throw new PostroomException(ErrorCode.NOT_OWNER, "Only " + m.owner() + " or an admin may do this.");
        }
    }

    private Mailbox view(Actor actor, Mailbox m) {
        boolean isDefault = m.id().equals(defaults.get(actor));
        return new Mailbox(m.id(), m.tenant(), m.owner(), m.address(), m.name(), m.connection(), m.settings(), m.state(),
                m.inactiveReason(), m.verified(), m.consecutiveFailures(), m.lastFailure(), isDefault, m.stats(),
                m.createdAt(), m.updatedAt());
    }

    private static Mailbox with(Mailbox m, MailboxState state, String reason, boolean verified, int failures, String lastFailure) {
        return new Mailbox(m.id(), m.tenant(), m.owner(), m.address(), m.name(), m.connection(), m.settings(), state, reason,
                verified, failures, lastFailure, m.defaultForSending(), m.stats(), m.createdAt(), Instant.now());
    }

    private static MailboxSettings defaults() {
        return new MailboxSettings("", MailboxSettings.DEFAULT_NAME_TEMPLATE, AccessLevel.PERSONAL, Set.of(),
                MessageVisibility.OWNER_AND_MANAGERS, false, Set.of(), true, KeepPolicy.BOTH, SyncPeriod.DEFAULT, List.of("INBOX"));
    }

    private static MailboxSettings apply(MailboxSettings s, SettingsUpdate u) {
        String senderName = u.senderName() == null ? s.senderName() : u.senderName();
        if (senderName.contains("\r") || senderName.contains("\n")) {
            throw PostroomException.invalid(ErrorCode.HEADER_INJECTION, "senderName", "The sender name must not contain line breaks.");
        }
        for (Set<UserId> users : List.of(u.sharedWith() == null ? Set.<UserId>of() : u.sharedWith(),
                u.allowedSenders() == null ? Set.<UserId>of() : u.allowedSenders())) {
            for (UserId user : users) {
                if (!USERS.contains(user.value())) {
                    throw PostroomException.invalid(ErrorCode.UNKNOWN_USER, "sharedWith", "There is no user '" + user + "'.");
                }
            }
        }
        List<String> folders = u.folders() == null ? s.folders() : u.folders();
        Set<String> known = new HashSet<>();
        FOLDERS.forEach(f -> known.add(f.name()));
        for (String folder : folders) {
            if (!known.contains(folder)) {
                throw PostroomException.invalid(ErrorCode.UNKNOWN_FOLDER, "folders", "The server has no folder '" + folder + "'.");
            }
        }
        return new MailboxSettings(senderName, u.nameTemplate() == null ? s.nameTemplate() : u.nameTemplate(),
                u.accessLevel() == null ? s.accessLevel() : u.accessLevel(),
                u.sharedWith() == null ? s.sharedWith() : u.sharedWith(),
                u.visibility() == null ? s.visibility() : u.visibility(),
                u.privateMessages() == null ? s.privateMessages() : u.privateMessages(),
                u.allowedSenders() == null ? s.allowedSenders() : u.allowedSenders(),
                u.crmLinking() == null ? s.crmLinking() : u.crmLinking(), u.keep() == null ? s.keep() : u.keep(),
                u.syncPeriod() == null ? s.syncPeriod() : u.syncPeriod(), folders);
    }

    private static String render(MailboxSettings s, UserId owner) {
        return s.nameTemplate().replace("{{first_name}}", owner.value()).replace("{{last_name}}", "").strip();
    }

    private static ConnectionSettings resolve(ConnectionRequest r) {
        EmailAddress address = EmailAddress.of(r.address());
        if (r.password() == null || r.password().isBlank()) {
            throw PostroomException.invalid(ErrorCode.BLANK_PASSWORD, "password", "Enter the mailbox's password.");
        }
        String presetId = r.preset() == null || r.preset().isBlank() ? Preset.CUSTOM : r.preset();
        Preset preset = PRESETS.stream().filter(p -> p.id().equals(presetId)).findFirst()
                .orElseThrow(() -> PostroomException.invalid(ErrorCode.UNKNOWN_PRESET, "preset", "There is no preset '" + presetId + "'."));
        Endpoint imap = endpoint("imap", preset.imap(), r.imapHost(), r.imapPort(), r.imapSecurity(), Security.SSL, true);
        Endpoint smtp = endpoint("smtp", preset.smtp(), r.smtpHost(), r.smtpPort(), r.smtpSecurity(), Security.STARTTLS, false);
        for (Endpoint e : List.of(imap, smtp)) {
            if (e.host().endsWith(".invalid")) {
                throw new ConnectionFailedException(new ConnectionFailure(e == imap ? ConnectionFailure.Protocol.IMAP
                        : ConnectionFailure.Protocol.SMTP, ConnectionFailure.Step.CONNECT, ConnectionFailure.Kind.UNKNOWN_HOST,
                        e.host(), e.port(), ""), null);
            }
        }
        if (WRONG_PASSWORD.equals(r.password().reveal())) {
            throw new ConnectionFailedException(new ConnectionFailure(ConnectionFailure.Protocol.IMAP, ConnectionFailure.Step.LOGIN,
                    ConnectionFailure.Kind.AUTHENTICATION, imap.host(), imap.port(), "NO [AUTHENTICATIONFAILED] Invalid credentials"), null);
        }
        String username = r.username() == null || r.username().isBlank() ? address.value() : r.username();
        return new ConnectionSettings(presetId, address, username, imap, smtp);
    }

    private static Endpoint endpoint(String what, Endpoint preset, String host, Integer port, Security security,
                                     Security customSecurity, boolean imap) {
        String h = host == null || host.isBlank() ? (preset == null ? null : preset.host()) : host.strip();
        if (h == null) {
            throw PostroomException.invalid(ErrorCode.INVALID_HOST, what + "Host", "Enter the " + what.toUpperCase() + " server's host name.");
        }
        Security sec = security != null ? security : preset != null ? preset.security() : customSecurity;
        int p = port != null ? port : preset != null && host == null && security == null ? preset.port()
                : imap ? sec.defaultImapPort() : sec.defaultSmtpPort();
        if (p < 1 || p > 65535) {
            throw PostroomException.invalid(ErrorCode.INVALID_PORT, what + "Port", "A port is a number from 1 to 65535, not " + p + ".");
        }
        return new Endpoint(h, p, sec);
    }
}
