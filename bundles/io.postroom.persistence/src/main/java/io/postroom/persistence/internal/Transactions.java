package io.postroom.persistence.internal;

import io.postroom.persistence.StoreException;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.Function;
import javax.persistence.EntityManager;
import javax.persistence.EntityManagerFactory;
import javax.persistence.EntityTransaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs work in one RESOURCE_LOCAL transaction with its own entity manager: commit on success,
 * rollback on any exception. {@link StoreException}s pass unchanged; anything else from the
 * database becomes a {@link StoreException}.
 */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    /** SQLSTATE of a unique constraint violation on H2 and PostgreSQL. */
    private static final String UNIQUE_VIOLATION = "23505";

    private final EntityManagerFactory emf;

    Transactions(EntityManagerFactory emf) {
        this.emf = emf;
    }

    <T> T run(Function<EntityManager, T> work) {
        EntityManager em = emf.createEntityManager();
        EntityTransaction tx = em.getTransaction();
        try {
            tx.begin();
            T result = work.apply(em);
            tx.commit();
            return result;
        } catch (StoreException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new StoreException("The database failed: " + rootMessage(e), e);
        } finally {
            try {
                if (tx.isActive()) {
                    tx.rollback();
                }
            } catch (RuntimeException e) {
                LOG.warn("Rollback failed", e);
            } finally {
                em.close();
            }
        }
    }

    static boolean isUniqueViolation(Throwable t) {
        return uniqueViolation(t) != null;
    }

    /** Whether {@code t} is a violation of the named unique constraint (both databases name it in the message). */
    static boolean isUniqueViolation(Throwable t, String constraint) {
        SQLException e = uniqueViolation(t);
        return e != null && e.getMessage() != null
                && e.getMessage().toLowerCase(Locale.ROOT).contains(constraint.toLowerCase(Locale.ROOT));
    }

    private static SQLException uniqueViolation(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof SQLException sql && UNIQUE_VIOLATION.equals(sql.getSQLState())) {
                return sql;
            }
        }
        return null;
    }

    static boolean isOptimisticLockFailure(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            // EclipseLink's own exception has the same simple name; no import of its packages needed
            if (c instanceof javax.persistence.OptimisticLockException
                    || c.getClass().getSimpleName().equals("OptimisticLockException")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
