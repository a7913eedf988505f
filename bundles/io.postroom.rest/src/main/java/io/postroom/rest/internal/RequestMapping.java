package io.postroom.rest.internal;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.UserId;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.ConnectionUpdate;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.mailbox.SyncPeriod;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Request bodies to the service's records. The JSON field names are those of docs/openapi.yaml. */
final class RequestMapping {
    static final Set<String> CONNECTION_FIELDS = Set.of("preset", "address", "username", "password",
            "imapHost", "imapPort", "imapSecurity", "smtpHost", "smtpPort", "smtpSecurity");
    static final Set<String> CONNECTION_UPDATE_FIELDS = Set.of("username", "password",
            "imapHost", "imapPort", "imapSecurity", "smtpHost", "smtpPort", "smtpSecurity");
    static final Set<String> SETTINGS_FIELDS = Set.of("senderName", "name", "accessLevel", "sharedWith", "visibility",
            "privateMessages", "allowedSenders", "crmLinking", "keep", "syncPeriod", "folders");
    static final Set<String> CREATE_FIELDS = union(CONNECTION_FIELDS, SETTINGS_FIELDS);
    static final Set<String> UPDATE_FIELDS = union(CONNECTION_UPDATE_FIELDS, SETTINGS_FIELDS);
    static final Set<String> VERIFY_FIELDS = Set.of("code");
    static final Set<String> DEACTIVATE_FIELDS = Set.of("reason");

    private RequestMapping() {
    }

    static ConnectionRequest connectionRequest(JsonBody body) {
        return new ConnectionRequest(body.line("preset"), body.line("address"), body.line("username"), body.secret("password"),
                body.line("imapHost"), body.integer("imapPort"), body.enumValue("imapSecurity", Security.class),
                body.line("smtpHost"), body.integer("smtpPort"), body.enumValue("smtpSecurity", Security.class));
    }

    static ConnectionUpdate connectionUpdate(JsonBody body) {
        return new ConnectionUpdate(body.line("username"), body.secret("password"),
                body.line("imapHost"), body.integer("imapPort"), body.enumValue("imapSecurity", Security.class),
                body.line("smtpHost"), body.integer("smtpPort"), body.enumValue("smtpSecurity", Security.class));
    }

    static SettingsUpdate settingsUpdate(JsonBody body) {
        return new SettingsUpdate(body.line("senderName"), body.line("name"),
                body.enumValue("accessLevel", AccessLevel.class), users(body, "sharedWith"),
                body.enumValue("visibility", MessageVisibility.class), body.bool("privateMessages"),
                users(body, "allowedSenders"), body.bool("crmLinking"), body.enumValue("keep", KeepPolicy.class),
                body.parsed("syncPeriod", SyncPeriod::parse), body.lines("folders"));
    }

    /**
     * PATCH: settings and connection fields. The address and preset cannot change; saying so is
     * more helpful than "unknown field".
     */
    static JsonBody checkUpdateFields(JsonBody body) {
        for (String fixed : List.of("address", "preset")) {
            if (body.has(fixed)) {
                throw PostroomException.invalid(ErrorCode.INVALID_INPUT, fixed,
                        "The " + fixed + " of a mailbox cannot change; connect a new mailbox instead.");
            }
        }
        return body.allowOnly(UPDATE_FIELDS);
    }

    private static Set<UserId> users(JsonBody body, String field) {
        List<String> ids = body.lines(field);
        if (ids == null) {
            return null;
        }
        Set<UserId> users = new LinkedHashSet<>();
        for (String id : ids) {
            try {
                users.add(UserId.of(id));
            } catch (PostroomException e) {
                throw new PostroomException(e.code(), e.getMessage(), Map.of("field", field));
            }
        }
        return users;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new LinkedHashSet<>(a);
        all.addAll(b);
        return Set.copyOf(all);
    }
}
