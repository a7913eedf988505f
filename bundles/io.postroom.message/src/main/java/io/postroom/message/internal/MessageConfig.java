package io.postroom.message.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the message service (PID {@value #PID}); every value has a default. */
@ObjectClassDefinition(id = MessageConfig.PID, name = "Postroom messages", description = "Messages in the CRM and attachments streamed from IMAP")
public @interface MessageConfig {
    String PID = "io.postroom.message";

    @AttributeDefinition(name = "Attachment fetch size (KiB)", min = "16", max = "16384",
            description = "An attachment is fetched from IMAP in partial ranges of this size (BODY.PEEK[part]<offset.size>),"
                    + " so that no more than about this much of it is ever held in memory. Larger means fewer round trips.")
    int attachmentFetchKib() default 1024;

    @AttributeDefinition(name = "Attachment streams per mailbox", min = "1", max = "64",
            description = "How many attachments of one mailbox this node streams at the same time (each node of a"
                    + " cluster counts its own). Each holds an IMAP"
                    + " connection to the mailbox's server, and servers limit connections per account (Gmail: 15);"
                    + " one more is refused with too_many_downloads until one finishes.")
    int attachmentStreamsPerMailbox() default 4;
}
