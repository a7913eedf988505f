package io.postroom.rest.internal;

import static io.postroom.rest.internal.MailboxApi.secured;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.message.AttachmentContent;
import io.postroom.api.message.MessageId;
import io.postroom.api.message.MessageQuery;
import io.postroom.api.message.MessageService;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The message routes: lists with cursor paging, one message, its thread, and attachments streamed
 * from the mail server, asked of the {@link MessageService} when it is there (503
 * {@code unavailable} otherwise).
 */
final class MessageApi {
    /** The query parameters of {@code GET /messages}. */
    static final Set<String> LIST_QUERY = Set.of("mailbox", "folder", "cursor", "limit");
    static final int DEFAULT_LIMIT = 50;

    private final Supplier<MessageService> service;

    MessageApi(Supplier<MessageService> service) {
        this.service = service;
    }

    void addTo(Router<MailboxApi.Handler> router) {
        router.add("GET", "/messages", secured(this::list))
                .add("GET", "/messages/{id}", secured(call -> {
                    MessageId id = call.messageId();
                    return Response.ok(Views.message(messages().get(call.actor(), id)));
                }))
                .add("GET", "/messages/{id}/thread", secured(call -> {
                    MessageId id = call.messageId();
                    return Response.ok(Views.thread(messages().thread(call.actor(), id)));
                }))
                .add("GET", "/messages/{id}/attachments/{n}", secured(this::attachment));
    }

    private Response list(ApiCall call) {
        QueryParameters query = call.query(LIST_QUERY);
        MessageQuery q = new MessageQuery(query.mailboxId("mailbox"), query.line("folder"), query.cursor("cursor"),
                query.integer("limit", 1, MessageQuery.MAX_LIMIT, DEFAULT_LIMIT));
        return Response.ok(Views.messages(messages().list(call.actor(), q)));
    }

    private Response attachment(ApiCall call) {
        MessageId id = call.messageId();
        int index = call.attachmentIndex();
        AttachmentContent content = messages().openAttachment(call.actor(), id, index);
        try {
            return Response.stream(content, Downloads.mediaType(content.info().contentType()),
                    Downloads.headers(content.info().fileName(), index));
        } catch (RuntimeException e) {
            content.close();
            throw e;
        }
    }

    private MessageService messages() {
        MessageService messages = service.get();
        if (messages == null) {
            throw new PostroomException(ErrorCode.UNAVAILABLE,
                    "Messages are not available on this server right now (the Postroom message service is not running); "
                            + "try again later, or ask the administrator to install and start it.");
        }
        return messages;
    }
}
