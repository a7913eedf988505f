package io.postroom.rest.internal;

import static io.postroom.rest.internal.RequestMapping.CONNECTION_FIELDS;
import static io.postroom.rest.internal.RequestMapping.CREATE_FIELDS;
import static io.postroom.rest.internal.RequestMapping.DEACTIVATE_FIELDS;
import static io.postroom.rest.internal.RequestMapping.VERIFY_FIELDS;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.ConnectionRequest;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxService;
import io.postroom.api.mailbox.NewMailbox;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.api.message.MessageService;
import io.postroom.api.sync.SyncService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The routes of {@code /postroom/api/v1}: those of mailboxes, with what each one asks the
 * {@link MailboxService}, and those of {@link SyncApi} and {@link MessageApi}, whose services may
 * come and go (the suppliers answer null while they are absent).
 */
final class MailboxApi {

    /** What serves a route; {@code open} routes need no authentication. */
    record Handler(boolean open, Function<ApiCall, Response> action) {
    }

    static final String OPENAPI_RESOURCE = "openapi.yaml";

    private final MailboxService mailboxes;
    private final Router<Handler> router = new Router<>();

    MailboxApi(MailboxService mailboxes, Supplier<SyncService> sync, Supplier<MessageService> messages) {
        this.mailboxes = mailboxes;
        router.add("GET", "/openapi.yaml", new Handler(true, call -> openApi()))
                .add("GET", "/presets", secured(call -> Response.ok(Views.presets(mailboxes.presets()))))
                .add("POST", "/mailboxes/probe", secured(this::probe))
                .add("GET", "/mailboxes", secured(call -> Response.ok(Views.mailboxes(mailboxes.list(call.actor())))))
                .add("POST", "/mailboxes", secured(this::create))
                .add("GET", "/mailboxes/default", secured(this::defaultForSending))
                .add("GET", "/mailboxes/{id}", secured(call -> ok(mailboxes.get(call.actor(), call.mailboxId()))))
                .add("PATCH", "/mailboxes/{id}", secured(this::update))
                .add("DELETE", "/mailboxes/{id}", secured(this::delete))
                .add("POST", "/mailboxes/{id}/test",
                        secured(call -> Response.ok(Views.test(mailboxes.test(call.actor(), call.mailboxId())))))
                .add("POST", "/mailboxes/{id}/verify", secured(this::verify))
                .add("POST", "/mailboxes/{id}/verification-code", secured(call -> Response.ok(new Views.VerificationCodeView(
                        mailboxes.sendVerificationCode(call.actor(), call.mailboxId())))))
                .add("POST", "/mailboxes/{id}/activate", secured(call -> ok(mailboxes.activate(call.actor(), call.mailboxId()))))
                .add("POST", "/mailboxes/{id}/deactivate", secured(this::deactivate))
                .add("POST", "/mailboxes/{id}/default-for-sending",
                        secured(call -> ok(mailboxes.setDefaultForSending(call.actor(), call.mailboxId()))));
        new SyncApi(sync).addTo(router);
        new MessageApi(messages).addTo(router);
    }

    Router<Handler> router() {
        return router;
    }

    private Response probe(ApiCall call) {
        JsonBody body = call.body(CONNECTION_FIELDS);
        ConnectionRequest request = RequestMapping.connectionRequest(body);
        try {
            return Response.ok(Views.probe(mailboxes.probe(call.actor(), request)));
        } finally {
            clear(request);
        }
    }

    private Response create(ApiCall call) {
        JsonBody body = call.body(CREATE_FIELDS);
        ConnectionRequest connection = RequestMapping.connectionRequest(body);
        try {
            SettingsUpdate settings = RequestMapping.settingsUpdate(body);
            Mailbox created = mailboxes.create(call.actor(), new NewMailbox(connection, settings));
            return Response.created(Views.mailbox(created), call.location("mailboxes/" + created.id()));
        } finally {
            clear(connection);
        }
    }

    private Response update(ApiCall call) {
        var id = call.mailboxId();
        JsonBody body = RequestMapping.checkUpdateFields(call.body());
        var connection = RequestMapping.connectionUpdate(body);
        try {
            return ok(mailboxes.update(call.actor(), id, RequestMapping.settingsUpdate(body), connection));
        } finally {
            if (connection.password() != null) {
                connection.password().clear();
            }
        }
    }

    private Response delete(ApiCall call) {
        mailboxes.delete(call.actor(), call.mailboxId());
        return Response.noContent();
    }

    private Response verify(ApiCall call) {
        var id = call.mailboxId();
        String code = call.body(VERIFY_FIELDS).text("code");
        if (code == null || code.isBlank()) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "code",
                    "Give the verification code that was sent to the mailbox's address.");
        }
        return ok(mailboxes.verify(call.actor(), id, code));
    }

    private Response deactivate(ApiCall call) {
        var id = call.mailboxId();
        String reason = call.optionalBody(DEACTIVATE_FIELDS).line("reason");
        return ok(mailboxes.deactivate(call.actor(), id, reason));
    }

    private Response defaultForSending(ApiCall call) {
        return mailboxes.defaultForSending(call.actor())
                .map(MailboxApi::ok)
                .orElseThrow(() -> new PostroomException(ErrorCode.MAILBOX_NOT_FOUND,
                        "You have no default mailbox for sending; choose one with POST /mailboxes/{id}/default-for-sending."));
    }

    private static Response openApi() {
        try (InputStream in = MailboxApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw HttpError.notFound("/openapi.yaml");
            }
            return Response.raw(in.readAllBytes(), "application/yaml;charset=UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response ok(Mailbox mailbox) {
        return Response.ok(Views.mailbox(mailbox));
    }

    static Handler secured(Function<ApiCall, Response> action) {
        return new Handler(false, action);
    }

    private static void clear(ConnectionRequest request) {
        if (request.password() != null) {
            request.password().clear();
        }
    }
}
