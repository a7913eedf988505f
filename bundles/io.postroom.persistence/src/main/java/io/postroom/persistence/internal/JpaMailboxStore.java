package io.postroom.persistence.internal;

import io.postroom.api.EmailAddress;
import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.MailboxSettings;
import io.postroom.api.mailbox.MailboxState;
import io.postroom.persistence.ConcurrentChangeException;
import io.postroom.persistence.DuplicateAddressException;
import io.postroom.persistence.FailureOutcome;
import io.postroom.persistence.LimitExceededException;
import io.postroom.persistence.MailboxDraft;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.MailboxStore;
import io.postroom.persistence.RecordNotFoundException;
import io.postroom.persistence.Schema;
import io.postroom.persistence.StoreException;
import io.postroom.persistence.UserLimit;
import io.postroom.persistence.VerificationCode;
import io.postroom.persistence.VerificationOutcome;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.LockModeType;
import javax.persistence.PersistenceException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** {@link MailboxStore} on JPA (EclipseLink, RESOURCE_LOCAL): one transaction per method. */
@Component(service = MailboxStore.class)
public final class JpaMailboxStore implements MailboxStore {
    static final int MAX_FAILURE_TEXT = 2000;
    static final int MAX_REASON_TEXT = 1000;
    static final String ACTIVE_ADDRESS_CONSTRAINT = "mailbox_active_address_uq";

    private static final String COUNTED_AGAINST = "SELECT COUNT(DISTINCT m.id) FROM Mailbox m LEFT JOIN m.sharedWith s"
            + " WHERE m.tenantId = :tenant AND m.state = :active AND (m.ownerId = :user OR s = :user)";

    private final Transactions tx;

    @Activate
    public JpaMailboxStore(@Reference(target = "(osgi.unit.name=postroom)") EntityManagerFactory emf,
                           @Reference Schema schema) {
        this.tx = new Transactions(emf);
    }

    @Override
    public MailboxRecord create(MailboxDraft d, Collection<UserLimit> limits) {
        Set<UserEntity.Key> users = userKeys(d.tenant(), limits);
        users.add(key(d.tenant(), d.owner()));
        return withUsersLocked(users, em -> {
            if (activeByAddress(em, d.tenant(), d.address()).isPresent()) {
                throw new DuplicateAddressException(d.tenant(), d.address(), null);
            }
            MailboxEntity e = new MailboxEntity();
            e.setTenantId(d.tenant().value());
            e.setOwnerId(d.owner().value());
            e.setAddress(d.address().value());
            e.setAddressKey(d.address().key());
            e.setActiveAddressKey(d.address().key());
            e.setState(MailboxState.ACTIVE);
            e.setVerified(false);
            e.setConsecutiveFailures(0);
            e.setCreatedAt(time(d.now()));
            e.setUpdatedAt(time(d.now()));
            writeConnection(e, d.preset(), d.username(), d.sealedPassword(), d.imap(), d.smtp());
            writeSettings(e, d.settings());
            em.persist(e);
            flush(em, e.getId(), d.tenant(), d.address());
            checkLimits(em, d.tenant(), limits);
            UserEntity owner = em.find(UserEntity.class, key(d.tenant(), d.owner()));
            if (owner.getDefaultMailboxId() == null) {
                owner.setDefaultMailboxId(e.getId());
            }
            em.flush();
            return record(e);
        });
    }

    @Override
    public Optional<MailboxRecord> find(long id) {
        return tx.run(em -> Optional.ofNullable(em.find(MailboxEntity.class, id)).map(JpaMailboxStore::record));
    }

    @Override
    public Optional<MailboxRecord> findActiveByAddress(TenantId tenant, EmailAddress address) {
        return tx.run(em -> activeByAddress(em, tenant, address).map(JpaMailboxStore::record));
    }

    @Override
    public List<MailboxRecord> listOwnedOrSharedWith(TenantId tenant, UserId user) {
        return tx.run(em -> records(em.createQuery("SELECT DISTINCT m FROM Mailbox m LEFT JOIN m.sharedWith s"
                        + " WHERE m.tenantId = :tenant AND (m.ownerId = :user OR s = :user)"
                        + " ORDER BY m.addressKey, m.id", MailboxEntity.class)
                .setParameter("tenant", tenant.value())
                .setParameter("user", user.value())
                .getResultList()));
    }

    @Override
    public List<MailboxRecord> listByTenant(TenantId tenant) {
        return tx.run(em -> records(em.createQuery(
                        "SELECT m FROM Mailbox m WHERE m.tenantId = :tenant ORDER BY m.addressKey, m.id", MailboxEntity.class)
                .setParameter("tenant", tenant.value())
                .getResultList()));
    }

    @Override
    public List<MailboxRecord> listActive() {
        return tx.run(em -> records(em.createQuery(
                        "SELECT m FROM Mailbox m WHERE m.state = :active ORDER BY m.id", MailboxEntity.class)
                .setParameter("active", MailboxState.ACTIVE)
                .getResultList()));
    }

    @Override
    public long countCountedAgainst(TenantId tenant, UserId user) {
        return tx.run(em -> count(em, tenant, user));
    }

    @Override
    public MailboxRecord update(MailboxRecord changed, Collection<UserLimit> limits, boolean resetFailures,
                                Instant now) {
        return withUsersLocked(userKeys(changed.tenant(), limits), em -> {
            MailboxEntity e = em.find(MailboxEntity.class, changed.id());
            if (e == null || !e.getTenantId().equals(changed.tenant().value())) {
                throw new RecordNotFoundException(changed.id());
            }
            if (e.getVersion() != changed.version()) {
                throw new ConcurrentChangeException(changed.id(), null);
            }
            if (changed.state() == MailboxState.ACTIVE && e.getState() != MailboxState.ACTIVE
                    && activeByAddress(em, changed.tenant(), changed.address()).isPresent()) {
                throw new DuplicateAddressException(changed.tenant(), changed.address(), null);
            }
            writeConnection(e, changed.preset(), changed.username(), changed.sealedPassword(), changed.imap(), changed.smtp());
            writeSettings(e, changed.settings());
            writeState(e, changed.state(), changed.inactiveReason());
            e.setVerified(changed.verified());
            if (resetFailures) {
                e.setConsecutiveFailures(0);
                e.setLastFailure(null);
            }
            e.setUpdatedAt(time(now));
            flush(em, e.getId(), changed.tenant(), changed.address());
            checkLimits(em, changed.tenant(), limits);
            return record(e);
        });
    }

    @Override
    public boolean delete(long id) {
        // the foreign keys remove shares, allowed senders, folders and the code, and clear defaults
        return tx.run(em -> em.createNativeQuery("DELETE FROM mailbox WHERE id = ?1")
                .setParameter(1, id)
                .executeUpdate() > 0);
    }

    @Override
    public MailboxRecord recordConnectionSuccess(long id) {
        return tx.run(em -> {
            // plain SQL: a JPQL bulk update would raise the version, and a counter is no concurrent edit
            int rows = em.createNativeQuery("UPDATE mailbox SET consecutive_failures = 0 WHERE id = ?1")
                    .setParameter(1, id)
                    .executeUpdate();
            if (rows == 0) {
                throw new RecordNotFoundException(id);
            }
            return record(em.find(MailboxEntity.class, id));
        });
    }

    @Override
    public FailureOutcome recordConnectionFailure(long id, String description, int deactivateAfter, Instant now) {
        String text = truncate(description == null || description.isBlank() ? "Connection failed." : description,
                MAX_FAILURE_TEXT);
        return tx.run(em -> {
            // the UPDATE takes the row lock, so concurrent failures are counted one after the other;
            // plain SQL leaves the version alone (only a deactivation below changes it)
            int rows = em.createNativeQuery("UPDATE mailbox SET consecutive_failures = consecutive_failures + 1,"
                            + " last_failure = ?1 WHERE id = ?2")
                    .setParameter(1, text)
                    .setParameter(2, id)
                    .executeUpdate();
            if (rows == 0) {
                throw new RecordNotFoundException(id);
            }
            MailboxEntity e = em.find(MailboxEntity.class, id);
            boolean deactivate = e.getState() == MailboxState.ACTIVE && e.getConsecutiveFailures() >= deactivateAfter;
            if (deactivate) {
                writeState(e, MailboxState.INACTIVE, text);
                e.setUpdatedAt(time(now));
                em.flush();
            }
            return new FailureOutcome(record(e), deactivate);
        });
    }

    @Override
    public io.postroom.api.mailbox.MailboxStats stats(long id) {
        return tx.run(em -> {
            Object count = em.createNativeQuery("SELECT COUNT(*) FROM message WHERE mailbox_id = ?1")
                    .setParameter(1, id)
                    .getSingleResult();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT last_started_at, last_finished_at, last_error"
                            + " FROM sync_schedule WHERE mailbox_id = ?1")
                    .setParameter(1, id)
                    .getResultList();
            long downloaded = ((Number) count).longValue();
            if (rows.isEmpty()) {
                return downloaded == 0 ? io.postroom.api.mailbox.MailboxStats.EMPTY
                        : new io.postroom.api.mailbox.MailboxStats(downloaded, 0, null, null, null);
            }
            Object[] r = rows.get(0);
            return new io.postroom.api.mailbox.MailboxStats(downloaded, 0,
                    io.postroom.persistence.internal.jdbc.Jdbc.toInstant(r[0]),
                    io.postroom.persistence.internal.jdbc.Jdbc.toInstant(r[1]), (String) r[2]);
        });
    }

    @Override
    public void replaceVerificationCode(VerificationCode code) {
        tx.run(em -> {
            if (em.find(MailboxEntity.class, code.mailboxId()) == null) {
                throw new RecordNotFoundException(code.mailboxId());
            }
            VerificationEntity v = em.find(VerificationEntity.class, code.mailboxId(), LockModeType.PESSIMISTIC_WRITE);
            boolean fresh = v == null;
            if (fresh) {
                v = new VerificationEntity();
                v.setMailboxId(code.mailboxId());
            }
            v.setCodeHash(code.codeHash());
            v.setSalt(code.salt());
            v.setExpiresAt(time(code.expiresAt()));
            v.setFailedAttempts(code.failedAttempts());
            v.setCreatedAt(time(code.createdAt()));
            if (fresh) {
                em.persist(v);
            }
            return null;
        });
    }

    @Override
    public Optional<VerificationCode> findVerificationCode(long mailboxId) {
        return tx.run(em -> Optional.ofNullable(em.find(VerificationEntity.class, mailboxId)).map(JpaMailboxStore::code));
    }

    @Override
    public VerificationOutcome attemptVerification(long mailboxId, Predicate<VerificationCode> matches, int maxAttempts,
                                                   Instant now) {
        return tx.run(em -> {
            MailboxEntity m = em.find(MailboxEntity.class, mailboxId);
            if (m == null) {
                throw new RecordNotFoundException(mailboxId);
            }
            VerificationEntity v = em.find(VerificationEntity.class, mailboxId, LockModeType.PESSIMISTIC_WRITE);
            if (v == null) {
                return new VerificationOutcome.NoCode();
            }
            if (v.getFailedAttempts() >= maxAttempts) {
                return new VerificationOutcome.AttemptsExceeded();
            }
            VerificationCode stored = code(v);
            if (!now.isBefore(stored.expiresAt())) {
                return new VerificationOutcome.Expired();
            }
            if (matches.test(stored)) {
                em.remove(v);
                m.setVerified(true);
                m.setUpdatedAt(time(now));
                flush(em, mailboxId, null, null);
                return new VerificationOutcome.Verified(record(m));
            }
            v.setFailedAttempts(v.getFailedAttempts() + 1);
            int left = maxAttempts - v.getFailedAttempts();
            return left <= 0 ? new VerificationOutcome.AttemptsExceeded() : new VerificationOutcome.Wrong(left);
        });
    }

    @Override
    public Optional<Long> defaultForSending(TenantId tenant, UserId user) {
        return tx.run(em -> Optional.ofNullable(em.find(UserEntity.class, key(tenant, user)))
                .map(UserEntity::getDefaultMailboxId));
    }

    @Override
    public void setDefaultForSending(TenantId tenant, UserId user, long mailboxId) {
        withUsersLocked(new TreeSet<>(Set.of(key(tenant, user))), em -> {
            MailboxEntity m = em.find(MailboxEntity.class, mailboxId);
            if (m == null || !m.getTenantId().equals(tenant.value())) {
                throw new RecordNotFoundException(mailboxId);
            }
            em.find(UserEntity.class, key(tenant, user)).setDefaultMailboxId(mailboxId);
            return null;
        });
    }

    // --- locking and limits

    private static Set<UserEntity.Key> userKeys(TenantId tenant, Collection<UserLimit> limits) {
        Set<UserEntity.Key> keys = new TreeSet<>();
        for (UserLimit l : limits) {
            keys.add(key(tenant, l.user()));
        }
        return keys;
    }

    /**
     * Runs {@code work} in one transaction after locking the users' rows (SELECT ... FOR UPDATE)
     * in key order, so that concurrent writers for the same users queue instead of deadlocking.
     * A missing row is inserted in the same transaction (so a rollback leaves nothing behind);
     * when two transactions insert the same user at once, the loser runs again and then finds
     * the row.
     */
    private <T> T withUsersLocked(Collection<UserEntity.Key> keys, Function<EntityManager, T> work) {
        for (int attempt = 1; ; attempt++) {
            try {
                return tx.run(em -> {
                    for (UserEntity.Key k : new TreeSet<>(keys)) {
                        if (em.find(UserEntity.class, k, LockModeType.PESSIMISTIC_WRITE) == null) {
                            em.persist(new UserEntity(k.getTenantId(), k.getUserId()));
                            try {
                                em.flush();
                            } catch (PersistenceException e) {
                                throw new UserRowRace(e);
                            }
                        }
                    }
                    return work.apply(em);
                });
            } catch (UserRowRace e) {
                if (attempt == 3) {
                    throw new StoreException("Could not lock the rows of users " + keys + ".", e);
                }
            }
        }
    }

    /** Another transaction inserted the same user row first. */
    private static final class UserRowRace extends StoreException {
        private static final long serialVersionUID = 1L;

        UserRowRace(Throwable cause) {
            super("user row inserted concurrently", cause);
        }
    }

    private static void checkLimits(EntityManager em, TenantId tenant, Collection<UserLimit> limits) {
        for (UserLimit l : limits) {
            long n = count(em, tenant, l.user());
            if (n > l.maxMailboxes()) {
                throw new LimitExceededException(l.user(), n, l.maxMailboxes());
            }
        }
    }

    private static long count(EntityManager em, TenantId tenant, UserId user) {
        return em.createQuery(COUNTED_AGAINST, Long.class)
                .setParameter("tenant", tenant.value())
                .setParameter("active", MailboxState.ACTIVE)
                .setParameter("user", user.value())
                .getSingleResult();
    }

    private static Optional<MailboxEntity> activeByAddress(EntityManager em, TenantId tenant, EmailAddress address) {
        return em.createQuery("SELECT m FROM Mailbox m WHERE m.tenantId = :tenant AND m.activeAddressKey = :key",
                        MailboxEntity.class)
                .setParameter("tenant", tenant.value())
                .setParameter("key", address.key())
                .getResultStream()
                .findFirst();
    }

    /** Flushes, turning constraint and version failures into the store's exceptions. */
    private static void flush(EntityManager em, long id, TenantId tenant, EmailAddress address) {
        try {
            em.flush();
        } catch (PersistenceException e) {
            if (Transactions.isOptimisticLockFailure(e)) {
                throw new ConcurrentChangeException(id, e);
            }
            if (address != null && Transactions.isUniqueViolation(e, ACTIVE_ADDRESS_CONSTRAINT)) {
                throw new DuplicateAddressException(tenant, address, e);
            }
            throw e;
        }
    }

    // --- mapping

    private static void writeConnection(MailboxEntity e, String preset, String username, String sealedPassword,
                                        Endpoint imap, Endpoint smtp) {
        e.setPreset(preset);
        e.setUsername(username);
        e.setSealedPassword(sealedPassword);
        e.setImapHost(imap.host());
        e.setImapPort(imap.port());
        e.setImapSecurity(imap.security());
        e.setSmtpHost(smtp.host());
        e.setSmtpPort(smtp.port());
        e.setSmtpSecurity(smtp.security());
    }

    private static void writeSettings(MailboxEntity e, MailboxSettings s) {
        e.setSenderName(s.senderName());
        e.setNameTemplate(s.nameTemplate());
        e.setAccessLevel(s.accessLevel());
        replace(e.getSharedWith(), s.sharedWith().stream().map(UserId::value).collect(Collectors.toSet()));
        e.setVisibility(s.visibility());
        e.setPrivateMessages(s.privateMessages());
        replace(e.getAllowedSenders(), s.allowedSenders().stream().map(UserId::value).collect(Collectors.toSet()));
        e.setCrmLinking(s.crmLinking());
        e.setKeep(s.keep());
        e.setSyncPeriod(s.syncPeriod());
        if (!e.getFolders().equals(s.folders())) {
            e.getFolders().clear();
            e.getFolders().addAll(s.folders());
        }
    }

    private static void replace(Set<String> target, Set<String> wanted) {
        target.retainAll(wanted);
        target.addAll(wanted);
    }

    private static void writeState(MailboxEntity e, MailboxState state, String reason) {
        e.setState(state);
        if (state == MailboxState.ACTIVE) {
            e.setActiveAddressKey(e.getAddressKey());
            e.setInactiveReason(null);
        } else {
            e.setActiveAddressKey(null);
            e.setInactiveReason(truncate(reason == null || reason.isBlank() ? "Deactivated." : reason, MAX_REASON_TEXT));
        }
    }

    private static List<MailboxRecord> records(List<MailboxEntity> entities) {
        List<MailboxRecord> out = new ArrayList<>(entities.size());
        for (MailboxEntity e : entities) {
            out.add(record(e));
        }
        return out;
    }

    static MailboxRecord record(MailboxEntity e) {
        MailboxSettings settings = new MailboxSettings(e.getSenderName(), e.getNameTemplate(), e.getAccessLevel(),
                e.getSharedWith().stream().map(UserId::of).collect(Collectors.toSet()),
                e.getVisibility(), e.isPrivateMessages(),
                e.getAllowedSenders().stream().map(UserId::of).collect(Collectors.toSet()),
                e.isCrmLinking(), e.getKeep(), e.getSyncPeriod(), List.copyOf(e.getFolders()));
        return new MailboxRecord(e.getId(), e.getVersion(), TenantId.of(e.getTenantId()), UserId.of(e.getOwnerId()),
                EmailAddress.of(e.getAddress()), e.getPreset(), e.getUsername(), e.getSealedPassword(),
                new Endpoint(e.getImapHost(), e.getImapPort(), e.getImapSecurity()),
                new Endpoint(e.getSmtpHost(), e.getSmtpPort(), e.getSmtpSecurity()),
                settings, e.getState(), e.getInactiveReason(), e.isVerified(), e.getConsecutiveFailures(),
                e.getLastFailure(), e.getCreatedAt().toInstant(), e.getUpdatedAt().toInstant());
    }

    private static VerificationCode code(VerificationEntity v) {
        return new VerificationCode(v.getMailboxId(), v.getCodeHash(), v.getSalt(), v.getExpiresAt().toInstant(),
                v.getFailedAttempts(), v.getCreatedAt().toInstant());
    }

    private static UserEntity.Key key(TenantId tenant, UserId user) {
        return new UserEntity.Key(tenant.value(), user.value());
    }

    /** Microseconds: what both databases keep, so a value reads back equal. */
    static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
