package io.postroom.mailbox.internal;

import io.postroom.api.Actor;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.spi.Plan;
import io.postroom.api.spi.PlanPolicy;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.mailbox.FailureRecord;
import io.postroom.mailbox.MailboxConnection;
import io.postroom.mailbox.MailboxConnections;
import io.postroom.mailbox.SyncTarget;
import io.postroom.mailbox.MailboxAccess;
import io.postroom.mailbox.MailboxAccess.Acting;
import io.postroom.persistence.FailureOutcome;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.MailboxStore;
import io.postroom.persistence.StoreException;
import io.postroom.protocol.Credentials;
import io.postroom.secrets.SecretCipher;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventAdmin;

/** {@link MailboxConnections} for the sync and send engines; shares the failure counter with the service. */
@Component(service = MailboxConnections.class, configurationPid = MailboxConfig.PID)
public final class MailboxConnectionsImpl implements MailboxConnections {
    private final MailboxStore store;
    private final SecretCipher cipher;
    private final PlanPolicy plans;
    private final Access access;
    private final Health health;

    @Activate
    public MailboxConnectionsImpl(@Reference MailboxStore store, @Reference SecretCipher cipher,
                                  @Reference TenantDirectory directory, @Reference PlanPolicy plans,
                                  @Reference EventAdmin eventAdmin, MailboxConfig config) {
        this(store, cipher, directory, plans, eventAdmin, MailboxRules.of(config), Clock.systemUTC());
    }

    MailboxConnectionsImpl(MailboxStore store, SecretCipher cipher, TenantDirectory directory, PlanPolicy plans,
                           EventAdmin eventAdmin, MailboxRules rules, Clock clock) {
        this.store = store;
        this.cipher = cipher;
        this.plans = plans;
        this.access = new Access(directory, store);
        this.health = new Health(store, new Events(eventAdmin), rules, clock);
    }

    @Override
    public List<SyncTarget> activeMailboxes() {
        List<MailboxRecord> active = db(store::listActive);
        Map<String, Plan> byOwner = new HashMap<>();
        List<SyncTarget> targets = new ArrayList<>(active.size());
        for (MailboxRecord m : active) {
            Plan plan = byOwner.computeIfAbsent(m.tenant().value() + "\u0000" + m.owner().value(),
                    k -> plans.plan(m.tenant(), m.owner()));
            targets.add(new SyncTarget(MailboxId.of(m.id()), m.tenant(), m.owner(), m.address(), plan.syncInterval(),
                    m.settings(), m.verified(), m.consecutiveFailures()));
        }
        return targets;
    }

    @Override
    public MailboxConnection connection(MailboxId id) {
        Objects.requireNonNull(id, "id");
        MailboxRecord m = db(() -> store.find(id.value())).orElseThrow(() -> MailboxAccess.notFound(id));
        requireActive(m);
        return connection(m);
    }

    @Override
    public MailboxConnection forSending(Actor actor, MailboxId id) {
        Acting a = access.resolve(actor);
        MailboxRecord m = access.visible(a, id);
        if (!Access.maySend(a, m)) {
            throw new PostroomException(ErrorCode.ACCESS_DENIED,
                    "You may not send from " + m.address() + "; its owner decides who may.");
        }
        requireActive(m);
        if (!m.verified()) {
            throw new PostroomException(ErrorCode.MAILBOX_NOT_VERIFIED,
                    "The address " + m.address() + " is not confirmed yet: enter the code sent to it, or ask for a new one.");
        }
        return connection(m);
    }

    @Override
    public void recordSuccess(MailboxId id) {
        db(() -> health.succeeded(id.value()));
    }

    @Override
    public FailureRecord recordFailure(MailboxId id, ConnectionFailure failure) {
        Objects.requireNonNull(failure, "failure");
        FailureOutcome o = db(() -> health.failed(id.value(), failure));
        return new FailureRecord(o.mailbox().consecutiveFailures(), o.deactivatedNow());
    }

    private MailboxConnection connection(MailboxRecord m) {
        return new MailboxConnection(MailboxId.of(m.id()), m.tenant(), m.owner(), m.address(), m.settings().senderName(),
                m.imap(), m.smtp(), new Credentials(m.username(), cipher.decrypt(m.sealedPassword())), m.settings(),
                m.verified());
    }

    private static void requireActive(MailboxRecord m) {
        if (!m.active()) {
            throw new PostroomException(ErrorCode.MAILBOX_INACTIVE,
                    "The mailbox " + m.address() + " is inactive: " + m.inactiveReason(), Map.of("mailbox", m.id()));
        }
    }

    private static <T> T db(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw Errors.store(e);
        }
    }

}
