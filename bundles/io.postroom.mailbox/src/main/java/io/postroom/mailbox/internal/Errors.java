package io.postroom.mailbox.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.UserId;
import io.postroom.api.spi.Plan;
import io.postroom.persistence.ConcurrentChangeException;
import io.postroom.persistence.DuplicateAddressException;
import io.postroom.persistence.RecordNotFoundException;
import io.postroom.persistence.StoreException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The store's exceptions and plan decisions as {@link PostroomException}s with messages that say what to do. */
final class Errors {

    private Errors() {
    }

    static PostroomException store(StoreException e) {
        if (e instanceof DuplicateAddressException d) {
            return duplicate(d.address().value());
        }
        if (e instanceof ConcurrentChangeException) {
            return new PostroomException(ErrorCode.CONCURRENT_MODIFICATION,
                    "The mailbox was changed meanwhile; reload it and make your change again.", Map.of(), e);
        }
        if (e instanceof RecordNotFoundException r) {
            return new PostroomException(ErrorCode.MAILBOX_NOT_FOUND, "There is no mailbox " + r.id() + " you can see.",
                    Map.of("mailbox", r.id()), e);
        }
        return new PostroomException(ErrorCode.UNAVAILABLE, "The database is not available; try again later.", Map.of(), e);
    }

    static PostroomException duplicate(String address) {
        return new PostroomException(ErrorCode.DUPLICATE_ADDRESS,
                "The mailbox " + address + " is already connected in your organisation; use that one, or deactivate it first.",
                Map.of("field", "address", "address", address));
    }

    static PostroomException limit(UserId user, UserId actor, Plan plan, long countAfter) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("plan", plan.name());
        details.put("limit", plan.maxMailboxesPerUser());
        details.put("user", user.value());
        String allows = plan.maxMailboxesPerUser() == 1 ? "1 mailbox" : plan.maxMailboxesPerUser() + " mailboxes";
        long has = Math.max(0, countAfter - 1);
        String message;
        if (user.equals(actor)) {
            message = "Your plan " + plan.name() + " allows " + allows + " per user (personal ones and those shared with you),"
                    + " and you have " + has + ". Deactivate or delete one, or upgrade the plan.";
        } else {
            details.put("field", "sharedWith");
            message = "The plan " + plan.name() + " of " + user + " allows " + allows + " per user, and " + user + " has "
                    + has + " already; a shared mailbox counts for every user it is shared with. Remove " + user
                    + " from the shared users, or have their plan upgraded.";
        }
        return new PostroomException(ErrorCode.PLAN_LIMIT_REACHED, message, details);
    }

    static PostroomException sharedNotAllowed(Plan plan) {
        return new PostroomException(ErrorCode.SHARED_NOT_ALLOWED,
                "Your plan " + plan.name() + " does not include shared mailboxes; keep the mailbox personal or upgrade the plan.",
                Map.of("field", "accessLevel", "plan", plan.name()));
    }
}
