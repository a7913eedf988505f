package io.postroom.api.message;

import java.util.List;
import java.util.Set;

/**
 * One message with its text. When the content is hidden from the actor (private mailbox), text,
 * html, attachments and subject are empty.
 *
 * @param summary         what lists show
 * @param cc              Cc
 * @param bcc             Bcc (only present on messages the owner sent)
 * @param replyTo         Reply-To
 * @param messageIdHeader Message-ID without angle brackets, null when the message had none
 * @param inReplyTo       In-Reply-To ids
 * @param references      References ids, oldest first
 * @param autoSubmitted   Auto-Submitted header value, null if absent
 * @param listId          List-Id header value, null if absent
 * @param text            plain text body (or text derived from HTML), may be empty
 * @param html            sanitised HTML body, null when the message has none
 * @param attachments     attachment metadata
 * @param problems        what could not be decoded (kept raw and flagged), e.g. UNKNOWN_CHARSET
 */
public record Message(MessageSummary summary, List<Correspondent> cc, List<Correspondent> bcc,
                      List<Correspondent> replyTo, String messageIdHeader, List<String> inReplyTo,
                      List<String> references, String autoSubmitted, String listId, String text, String html,
                      List<AttachmentInfo> attachments, Set<String> problems) {
    public Message {
        cc = cc == null ? List.of() : List.copyOf(cc);
        bcc = bcc == null ? List.of() : List.copyOf(bcc);
        replyTo = replyTo == null ? List.of() : List.copyOf(replyTo);
        inReplyTo = inReplyTo == null ? List.of() : List.copyOf(inReplyTo);
        references = references == null ? List.of() : List.copyOf(references);
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        problems = problems == null ? Set.of() : Set.copyOf(problems);
    }
}
