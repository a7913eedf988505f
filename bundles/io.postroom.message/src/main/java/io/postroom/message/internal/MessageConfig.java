package io.postroom.message.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the message service (PID {@value #PID}); every value has a default. Every value
 * may change while the service runs ({@link MessageServiceImpl#modified}): open downloads go on.
 */
@ObjectClassDefinition(id = MessageConfig.PID, name = "Postroom messages", description = "Messages in the CRM and attachments"
        + " streamed from IMAP. Every setting may be changed while Postroom runs: the change applies at once, without a"
        + " restart and without closing the attachment downloads in progress (each setting says what a change applies"
        + " to). A change with a value the service refuses (zero or less, say) changes nothing: the running"
        + " configuration stays, and the log says which value to fix.")
public @interface MessageConfig {
    String PID = "io.postroom.message";

    @AttributeDefinition(name = "Attachment fetch size (KiB)", min = "1", max = "16384",
            description = "An attachment is fetched from IMAP in partial ranges of this size (BODY.PEEK[part]<offset.size>),"
                    + " so that no more than about this much of it is ever held in memory. Larger means fewer round trips."
                    + " A change applies to the attachments opened after it; downloads in progress keep their size.")
    int attachmentFetchKib() default 1024;

    @AttributeDefinition(name = "Attachment streams per mailbox", min = "1", max = "64",
            description = "How many attachments of one mailbox this node streams at the same time (each node of a"
                    + " cluster counts its own). Each holds an IMAP"
                    + " connection to the mailbox's server, and servers limit connections per account (Gmail: 15);"
                    + " one more is refused with too_many_downloads until one finishes. A change applies to the"
                    + " attachments opened after it; downloads in progress go on, also beyond a lowered limit (the"
                    + " mailbox then gets no new one until fewer than the new limit are open).")
    int attachmentStreamsPerMailbox() default 4;

    @AttributeDefinition(name = "Idle attachment download closed after (seconds)", min = "1", max = "86400",
            description = "An attachment download that is not read for this many seconds (counted from its last read,"
                    + " or from its opening before the first read) is closed by Postroom: its IMAP connection is closed"
                    + " and its place among the mailbox's attachment streams is given back, so that a caller that"
                    + " neither reads nor closes a download cannot block the mailbox's downloads. Reading it afterwards"
                    + " fails with a message saying so; the attachment can be opened again. A download read slowly but"
                    + " steadily is never closed. A change applies to every download, those in progress included, from"
                    + " Postroom's next check on (within a tenth of the new limit, at most 30 seconds): a lowered limit"
                    + " then closes the downloads already unread for longer than it.")
    int downloadIdleSeconds() default 300;
}
