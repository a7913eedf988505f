package io.postroom.mailbox.internal;

import io.postroom.api.Actor;
import io.postroom.api.ConnectionFailedException;
import io.postroom.api.EmailAddress;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.ConnectionTest;
import io.postroom.api.mailbox.ConnectionUpdate;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxEvents;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxService;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.api.mailbox.NewMailbox;
import io.postroom.api.mailbox.Preset;
import io.postroom.api.mailbox.ProbeResult;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.spi.Plan;
import io.postroom.api.spi.PlanPolicy;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.mailbox.MailboxAccess;
import io.postroom.mailbox.MailboxAccess.Acting;
import io.postroom.persistence.FailureOutcome;
import io.postroom.persistence.LimitExceededException;
import io.postroom.persistence.MailboxDraft;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.MailboxStore;
import io.postroom.persistence.StoreException;
import io.postroom.persistence.UserLimit;
import io.postroom.persistence.VerificationCode;
import io.postroom.persistence.VerificationOutcome;
import io.postroom.protocol.Credentials;
import io.postroom.protocol.MailConnector;
import io.postroom.protocol.SmtpConnection;
import io.postroom.secrets.SecretCipher;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connecting and configuring mailboxes, with every rule of the product: validation before
 * anything else, a probe of both servers before saving, plan limits and address uniqueness
 * checked again inside the saving transaction, passwords sealed at rest, events after commit.
 *
 * <p>If the verification code cannot be sent right after a successful creation, the mailbox stays
 * saved and unverified (it cannot send), the failed send counts as a connection failure (so the
 * owner sees it as the mailbox's last failure), and {@link #sendVerificationCode} sends a new code.
 */
@Component(service = MailboxService.class, configurationPid = MailboxConfig.PID)
@Designate(ocd = MailboxConfig.class)
public final class MailboxServiceImpl implements MailboxService {
    private static final Logger LOG = LoggerFactory.getLogger(MailboxServiceImpl.class);
    private static final int MAX_REASON = 1000;

    private final MailboxStore store;
    private final SecretCipher cipher;
    private final MailConnector connector;
    private final TenantDirectory directory;
    private final PlanPolicy plans;
    private final MailboxRules rules;
    private final Clock clock;
    private final Access access;
    private final Views views;
    private final Events events;
    private final Health health;
    private final Prober prober;
    private final VerificationCodes codes;

    @Activate
    public MailboxServiceImpl(@Reference MailboxStore store, @Reference SecretCipher cipher,
                              @Reference MailConnector connector, @Reference TenantDirectory directory,
                              @Reference PlanPolicy plans, @Reference EventAdmin eventAdmin, MailboxConfig config) {
        this(store, cipher, connector, directory, plans, eventAdmin, MailboxRules.of(config), Clock.systemUTC());
    }

    MailboxServiceImpl(MailboxStore store, SecretCipher cipher, MailConnector connector, TenantDirectory directory,
                       PlanPolicy plans, EventAdmin eventAdmin, MailboxRules rules, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.connector = connector;
        this.directory = directory;
        this.plans = plans;
        this.rules = rules;
        this.clock = clock;
        this.access = new Access(directory, store);
        this.views = new Views(directory, store);
        this.events = new Events(eventAdmin);
        this.health = new Health(store, events, rules, clock);
        this.prober = new Prober(connector);
        this.codes = new VerificationCodes(new SecureRandom());
    }

    @Override
    public List<Preset> presets() {
        return Presets.ALL;
    }

    @Override
    public ProbeResult probe(Actor actor, ConnectionRequest request) {
        access.resolve(actor);
        return prober.probe(ConnectionResolver.resolve(request));
    }

    @Override
    public Mailbox create(Actor actor, NewMailbox request) {
        Acting a = access.resolve(actor);
        TenantId tenant = actor.tenant();
        ResolvedConnection connection = ConnectionResolver.resolve(request.connection());
        checkUsers(tenant, request.settings());
        MailboxSettings settings = SettingsRules.apply(SettingsRules.defaults(a.user()), request.settings(), actor.user());
        Plan plan = plans.plan(tenant, actor.user());
        if (settings.accessLevel() == AccessLevel.SHARED && !plan.sharedMailboxes()) {
            throw Errors.sharedNotAllowed(plan);
        }
        Map<UserId, Plan> planned = plans(tenant, actor.user(), plan, settings.sharedWith());
        // fail fast, before any network traffic; the store checks both again under its locks
        precheckLimits(tenant, actor.user(), planned);
        precheckAddress(tenant, connection.address());

        ProbeResult probe = prober.probe(connection);
        List<String> folders = request.settings().folders() == null
                ? FolderChoice.defaults(probe.folders())
                : FolderChoice.check(settings.folders(), probe.folders());
        if (folders.isEmpty()) {
            throw PostroomException.invalid(ErrorCode.UNKNOWN_FOLDER, "folders",
                    "The server lists no INBOX; choose the folders to synchronise.");
        }
        settings = withFolders(settings, folders);

        String sealed = cipher.encrypt(connection.password());
        MailboxDraft draft = new MailboxDraft(tenant, actor.user(), connection.address(), connection.preset(),
                connection.username(), sealed, connection.imap(), connection.smtp(), settings, clock.instant());
        MailboxRecord saved = withLimits(actor.user(), planned, () -> store.create(draft, limits(planned)));
        LOG.info("Mailbox {} ({}) connected by {}", saved.id(), saved.address(), actor);
        events.post(MailboxEvents.CREATED, saved, actor.user(), null, null);

        try {
            sendCode(saved, connection.credentials());
        } catch (ConnectionFailedException e) {
            LOG.warn("Mailbox {} ({}) is saved but its verification code could not be sent: {}", saved.id(),
                    saved.address(), e.getMessage());
            long id = saved.id();
            saved = db(() -> health.failed(id, e.failure())).mailbox();
        } catch (PostroomException e) {
            LOG.warn("Mailbox {} ({}) is saved but its verification code could not be sent: {}", saved.id(),
                    saved.address(), e.getMessage());
        }
        return view(saved, actor);
    }

    @Override
    public List<Mailbox> list(Actor actor) {
        Acting a = access.resolve(actor);
        List<MailboxRecord> records = db(() -> a.isAdmin()
                ? store.listByTenant(actor.tenant())
                : store.listOwnedOrSharedWith(actor.tenant(), actor.user()));
        Optional<Long> def = db(() -> store.defaultForSending(actor.tenant(), actor.user()));
        return records.stream().map(r -> views.view(r, actor.user(), def)).toList();
    }

    @Override
    public Mailbox get(Actor actor, MailboxId id) {
        Acting a = access.resolve(actor);
        return view(access.visible(a, id), actor);
    }

    @Override
    public Mailbox update(Actor actor, MailboxId id, SettingsUpdate settingsUpdate, ConnectionUpdate connectionUpdate) {
        Acting a = access.resolve(actor);
        MailboxRecord r = access.visible(a, id);
        Access.requireOwner(a, r, "changes its settings");
        SettingsUpdate su = settingsUpdate == null ? SettingsUpdate.NONE : settingsUpdate;
        ConnectionUpdate cu = connectionUpdate == null ? ConnectionUpdate.NONE : connectionUpdate;
        if (su.isEmpty() && cu.isEmpty()) {
            return view(r, actor);
        }
        TenantId tenant = actor.tenant();

        checkUsers(tenant, su);
        MailboxSettings settings = SettingsRules.apply(r.settings(), su, r.owner());
        Set<UserId> added = new LinkedHashSet<>(settings.sharedWith());
        added.removeAll(r.settings().sharedWith());
        Plan plan = plans.plan(tenant, r.owner());
        if (settings.accessLevel() == AccessLevel.SHARED && !plan.sharedMailboxes()
                && (r.settings().accessLevel() != AccessLevel.SHARED || !added.isEmpty())) {
            throw Errors.sharedNotAllowed(plan);
        }
        Map<UserId, Plan> planned = r.active() ? plans(tenant, null, null, added) : Map.of();
        precheckLimits(tenant, actor.user(), planned);

        List<String> changed = new ArrayList<>();
        ResolvedConnection connection = null;
        List<RemoteFolder> serverFolders = null;
        if (!cu.isEmpty()) {
            ResolvedConnection current = current(r, cu.password() == null);
            connection = ConnectionResolver.merge(current, cu);
            serverFolders = prober.probe(connection).folders();
            changed.addAll(connectionChanges(current, connection, cu));
        }
        if (su.folders() != null) {
            if (serverFolders == null) {
                serverFolders = prober.folders(current(r, true));
            }
            settings = withFolders(settings, FolderChoice.check(settings.folders(), serverFolders));
        }
        changed.addAll(0, SettingsRules.changed(r.settings(), settings));
        if (changed.isEmpty()) {
            return view(r, actor);
        }

        MailboxRecord next = r.withSettings(settings);
        if (connection != null) {
            String sealed = cu.password() == null ? r.sealedPassword() : cipher.encrypt(connection.password());
            next = next.withConnection(connection.username(), sealed, connection.imap(), connection.smtp());
        }
        MailboxRecord toSave = next;
        boolean reset = connection != null;
        MailboxRecord saved = withLimits(actor.user(), planned,
                () -> store.update(toSave, limits(planned), reset, clock.instant()));
        LOG.info("Mailbox {} ({}) changed by {}: {}", saved.id(), saved.address(), actor, changed);
        events.post(MailboxEvents.UPDATED, saved, actor.user(), null, changed);
        return view(saved, actor);
    }

    @Override
    public ConnectionTest test(Actor actor, MailboxId id) {
        Acting a = access.resolve(actor);
        MailboxRecord r = access.visible(a, id);
        Access.requireOwner(a, r, "tests its connection");
        Instant now = clock.instant();
        ProbeResult probe;
        try {
            probe = prober.probe(current(r, true));
        } catch (ConnectionFailedException e) {
            FailureOutcome o = db(() -> health.failed(r.id(), e.failure()));
            return new ConnectionTest(false, e.failure(), List.of(), now, view(o.mailbox(), actor));
        }
        MailboxRecord after = db(() -> health.succeeded(r.id()));
        return new ConnectionTest(true, null, probe.folders(), now, view(after, actor));
    }

    @Override
    public Instant sendVerificationCode(Actor actor, MailboxId id) {
        Acting a = access.resolve(actor);
        MailboxRecord r = access.visible(a, id);
        Access.requireOwner(a, r, "asks for a verification code");
        if (r.verified()) {
            throw new PostroomException(ErrorCode.INVALID_INPUT, "The address " + r.address() + " is confirmed already.");
        }
        if (!r.active()) {
            throw new PostroomException(ErrorCode.MAILBOX_INACTIVE,
                    "The mailbox is inactive and sends nothing; activate it first.");
        }
        try {
            return sendCode(r, current(r, true).credentials());
        } catch (ConnectionFailedException e) {
            db(() -> health.failed(r.id(), e.failure()));
            throw e;
        }
    }

    @Override
    public Mailbox verify(Actor actor, MailboxId id, String code) {
        Acting a = access.resolve(actor);
        MailboxRecord r = access.visible(a, id);
        Access.requireOwner(a, r, "confirms its address");
        if (r.verified()) {
            return view(r, actor);
        }
        if (code == null || code.isBlank()) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "code",
                    "Enter the six-digit code sent to " + r.address() + ".");
        }
        String typed = VerificationCodes.normalize(code);
        VerificationOutcome outcome = db(() -> store.attemptVerification(r.id(),
                stored -> typed != null && VerificationCodes.matches(typed, stored), rules.maxCodeAttempts(),
                clock.instant()));
        if (outcome instanceof VerificationOutcome.Verified v) {
            LOG.info("Mailbox {} ({}) verified by {}", r.id(), r.address(), actor);
            events.post(MailboxEvents.VERIFIED, v.mailbox(), actor.user(), null, null);
            return view(v.mailbox(), actor);
        }
        if (outcome instanceof VerificationOutcome.Wrong w) {
            throw new PostroomException(ErrorCode.VERIFICATION_CODE_WRONG,
                    "That code is wrong; " + w.attemptsLeft() + (w.attemptsLeft() == 1 ? " attempt" : " attempts")
                            + " left before a new code is needed.",
                    Map.of("field", "code", "attemptsLeft", w.attemptsLeft()));
        }
        if (outcome instanceof VerificationOutcome.AttemptsExceeded) {
            throw new PostroomException(ErrorCode.VERIFICATION_ATTEMPTS_EXCEEDED,
                    "The code was entered wrongly " + rules.maxCodeAttempts() + " times and no longer works; ask for a new code.",
                    Map.of("field", "code", "attemptsLeft", 0));
        }
        if (outcome instanceof VerificationOutcome.Expired) {
            throw PostroomException.invalid(ErrorCode.VERIFICATION_CODE_EXPIRED, "code",
                    "The code has expired; ask for a new code.");
        }
        throw PostroomException.invalid(ErrorCode.VERIFICATION_CODE_EXPIRED, "code",
                "No code is waiting for " + r.address() + "; ask for a new code.");
    }

    @Override
    public Mailbox deactivate(Actor actor, MailboxId id, String reason) {
        Acting a = access.resolve(actor);
        MailboxRecord r = access.visible(a, id);
        Access.requireOwnerOrAdmin(a, r, "deactivates it");
        if (!r.active()) {
            return view(r, actor);
        }
        String why = reason(reason, actor);
        MailboxRecord saved = db(() -> store.update(r.withState(MailboxState.INACTIVE, why), List.of(), false,
                clock.instant()));
        LOG.info("Mailbox {} ({}) deactivated by {}: {}", saved.id(), saved.address(), actor, why);
        events.post(MailboxEvents.DEACTIVATED, saved, actor.user(), why, null);
        return view(saved, actor);
    }

    @Override
    public Mailbox activate(Actor actor, MailboxId id) {
        Acting a = access.resolve(actor);
        MailboxRecord r = access.visible(a, id);
        Access.requireOwner(a, r, "activates it");
        if (r.active()) {
            return view(r, actor);
        }
        TenantId tenant = actor.tenant();
        Plan plan = plans.plan(tenant, r.owner());
        if (r.settings().accessLevel() == AccessLevel.SHARED && !plan.sharedMailboxes()) {
            throw Errors.sharedNotAllowed(plan);
        }
        Map<UserId, Plan> planned = plans(tenant, r.owner(), plan, r.settings().sharedWith());
        precheckLimits(tenant, actor.user(), planned);
        precheckAddress(tenant, r.address());
        prober.probe(current(r, true));
        MailboxRecord saved = withLimits(actor.user(), planned,
                () -> store.update(r.withState(MailboxState.ACTIVE, null), limits(planned), true, clock.instant()));
        LOG.info("Mailbox {} ({}) activated by {}", saved.id(), saved.address(), actor);
        events.post(MailboxEvents.ACTIVATED, saved, actor.user(), null, null);
        return view(saved, actor);
    }

    @Override
    public void delete(Actor actor, MailboxId id) {
        Acting a = access.resolve(actor);
        MailboxRecord r = access.visible(a, id);
        Access.requireOwnerOrAdmin(a, r, "deletes it");
        if (!db(() -> store.delete(r.id()))) {
            throw MailboxAccess.notFound(id);
        }
        LOG.info("Mailbox {} ({}) deleted by {}", r.id(), r.address(), actor);
        events.post(MailboxEvents.DELETED, r, actor.user(), null, null);
    }

    @Override
    public Mailbox setDefaultForSending(Actor actor, MailboxId id) {
        Acting a = access.resolve(actor);
        MailboxRecord r = access.visible(a, id);
        if (!Access.maySend(a, r)) {
            throw new PostroomException(ErrorCode.ACCESS_DENIED,
                    "You may not send from " + r.address() + "; its owner decides who may.");
        }
        if (!r.active()) {
            throw new PostroomException(ErrorCode.MAILBOX_INACTIVE, "The mailbox " + r.address() + " is inactive.");
        }
        db(() -> {
            store.setDefaultForSending(actor.tenant(), actor.user(), r.id());
            return null;
        });
        return views.view(r, actor.user(), Optional.of(r.id()));
    }

    @Override
    public Optional<Mailbox> defaultForSending(Actor actor) {
        Acting a = access.resolve(actor);
        Optional<Long> def = db(() -> store.defaultForSending(actor.tenant(), actor.user()));
        if (def.isEmpty()) {
            return Optional.empty();
        }
        return db(() -> store.find(def.get()))
                .filter(m -> MailboxAccess.sees(a, m) && Access.maySend(a, m))
                .map(m -> views.view(m, actor.user(), def));
    }

    // --- helpers

    /** Sends a new code through the mailbox's SMTP server, then stores its hash: a failed send leaves the old code valid. */
    private Instant sendCode(MailboxRecord m, Credentials credentials) {
        String code = codes.newCode();
        String salt = codes.newSalt();
        Instant now = clock.instant();
        Instant expires = now.plus(rules.codeLifetime());
        try (SmtpConnection smtp = connector.openSmtp(m.smtp(), credentials)) {
            smtp.send(VerificationMail.build(smtp.session(), m, code, now, expires));
        }
        db(() -> {
            store.replaceVerificationCode(new VerificationCode(m.id(), VerificationCodes.hash(code, salt), salt, expires, 0, now));
            return null;
        });
        LOG.info("Verification code for mailbox {} ({}) sent; valid until {}", m.id(), m.address(), expires);
        return expires;
    }

    /** The saved connection; with the decrypted password only when asked for. */
    private ResolvedConnection current(MailboxRecord r, boolean withPassword) {
        return new ResolvedConnection(r.preset(), r.address(), r.username(),
                withPassword ? cipher.decrypt(r.sealedPassword()) : null, r.imap(), r.smtp());
    }

    private static List<String> connectionChanges(ResolvedConnection a, ResolvedConnection b, ConnectionUpdate u) {
        List<String> names = new ArrayList<>();
        if (!a.username().equals(b.username())) {
            names.add("username");
        }
        if (u.password() != null) {
            names.add("password");
        }
        if (!a.imap().host().equals(b.imap().host())) {
            names.add("imapHost");
        }
        if (a.imap().port() != b.imap().port()) {
            names.add("imapPort");
        }
        if (a.imap().security() != b.imap().security()) {
            names.add("imapSecurity");
        }
        if (!a.smtp().host().equals(b.smtp().host())) {
            names.add("smtpHost");
        }
        if (a.smtp().port() != b.smtp().port()) {
            names.add("smtpPort");
        }
        if (a.smtp().security() != b.smtp().security()) {
            names.add("smtpSecurity");
        }
        return names;
    }

    /** The users a change names must be users of the tenant. */
    private void checkUsers(TenantId tenant, SettingsUpdate u) {
        if (u.sharedWith() != null) {
            checkUsers(tenant, u.sharedWith(), "sharedWith");
        }
        if (u.allowedSenders() != null) {
            checkUsers(tenant, u.allowedSenders(), "allowedSenders");
        }
    }

    private void checkUsers(TenantId tenant, Set<UserId> users, String field) {
        Set<UserId> unknown = new LinkedHashSet<>();
        for (UserId u : users) {
            if (u != null && directory.user(tenant, u).isEmpty()) {
                unknown.add(u);
            }
        }
        if (!unknown.isEmpty()) {
            String names = SettingsRules.names(unknown);
            throw new PostroomException(ErrorCode.UNKNOWN_USER,
                    "There is no user " + names + " in your organisation.", Map.of("field", field, "users", names));
        }
    }

    /** The plans of the owner (if given) and of other users a mailbox would count against. */
    private Map<UserId, Plan> plans(TenantId tenant, UserId owner, Plan ownerPlan, Set<UserId> others) {
        Map<UserId, Plan> planned = new LinkedHashMap<>();
        if (owner != null) {
            planned.put(owner, ownerPlan);
        }
        for (UserId u : others) {
            planned.putIfAbsent(u, plans.plan(tenant, u));
        }
        return planned;
    }

    private static List<UserLimit> limits(Map<UserId, Plan> planned) {
        List<UserLimit> limits = new ArrayList<>();
        planned.forEach((u, p) -> {
            if (!p.unlimitedMailboxes()) {
                limits.add(new UserLimit(u, p.maxMailboxesPerUser()));
            }
        });
        return limits;
    }

    private void precheckLimits(TenantId tenant, UserId actor, Map<UserId, Plan> planned) {
        for (Map.Entry<UserId, Plan> e : planned.entrySet()) {
            Plan p = e.getValue();
            if (p.unlimitedMailboxes()) {
                continue;
            }
            long count = db(() -> store.countCountedAgainst(tenant, e.getKey()));
            if (count + 1 > p.maxMailboxesPerUser()) {
                throw Errors.limit(e.getKey(), actor, p, count + 1);
            }
        }
    }

    private void precheckAddress(TenantId tenant, EmailAddress address) {
        if (db(() -> store.findActiveByAddress(tenant, address)).isPresent()) {
            throw Errors.duplicate(address.value());
        }
    }

    private static <T> T withLimits(UserId actor, Map<UserId, Plan> planned, Supplier<T> write) {
        try {
            return write.get();
        } catch (LimitExceededException e) {
            throw Errors.limit(e.user(), actor, planned.get(e.user()), e.count());
        } catch (StoreException e) {
            throw Errors.store(e);
        }
    }

    private static <T> T db(Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw Errors.store(e);
        }
    }

    private static MailboxSettings withFolders(MailboxSettings s, List<String> folders) {
        return new MailboxSettings(s.senderName(), s.nameTemplate(), s.accessLevel(), s.sharedWith(), s.visibility(),
                s.privateMessages(), s.allowedSenders(), s.crmLinking(), s.keep(), s.syncPeriod(), folders);
    }

    private static String reason(String reason, Actor actor) {
        String why = reason == null ? "" : reason.replaceAll("[\\p{Cntrl}\\u0085\\u2028\\u2029]+", " ").strip();
        if (why.isEmpty()) {
            why = "Deactivated by " + actor.user() + ".";
        }
        return why.length() > MAX_REASON ? why.substring(0, MAX_REASON) : why;
    }

    private Mailbox view(MailboxRecord r, Actor actor) {
        return views.view(r, actor.user(), db(() -> store.defaultForSending(actor.tenant(), actor.user())));
    }
}
