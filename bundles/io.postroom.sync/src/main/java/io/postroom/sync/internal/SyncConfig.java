package io.postroom.sync.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = SyncConfig.PID, name = "Postroom sync",
        description = "How this node synchronises mailboxes: its name in the cluster, how often it looks for due"
                + " mailboxes, how many it syncs at once, the lease that keeps a mailbox on one node, and batch limits.")
public @interface SyncConfig {
    String PID = "io.postroom.sync";

    @AttributeDefinition(name = "Node id", description = "This node's name in leases and run history, unique in the"
            + " cluster (at most 64 characters). Empty: the host name and a random suffix.")
    String nodeId() default "";

    @AttributeDefinition(name = "Poll interval (seconds)", description = "How often the node looks for due mailboxes.",
            min = "1", max = "3600")
    int pollSeconds() default 5;

    @AttributeDefinition(name = "Workers", description = "Mailboxes synchronised at once on this node.", min = "1", max = "256")
    int workers() default 4;

    @AttributeDefinition(name = "Parse threads", description = "Threads that parse messages, shared by all syncs of the"
            + " node. 0: one per processor.", min = "0", max = "64")
    int parseThreads() default 0;

    @AttributeDefinition(name = "Lease (seconds)", description = "How long a node keeps a mailbox without a heartbeat;"
            + " when a node dies, another continues its mailboxes after this time.", min = "5", max = "3600")
    int leaseSeconds() default 90;

    @AttributeDefinition(name = "Messages per batch", description = "Messages fetched and stored together (one"
            + " database transaction). Flag changes and expunges are compared and written 25 times as many at a time"
            + " (500 to 20,000).", min = "1", max = "5000")
    int batchMessages() default 200;

    @AttributeDefinition(name = "Text bytes per batch (KiB)", description = "Bounds the memory a batch needs: text"
            + " parts fetched per batch. Capped at half of what one IMAP answer may hold (four times"
            + " maxResponseMegabytes of io.postroom.protocol: 128 MiB of text with its default of 64), logged once per"
            + " run when the cap applies.", min = "64", max = "1048576")
    int batchKilobytes() default 8192;

    @AttributeDefinition(name = "Quarantine attempts", description = "Tries per message that cannot be stored before"
            + " it waits for an operator.", min = "1", max = "100")
    int quarantineAttempts() default 5;

    @AttributeDefinition(name = "Background backfill", description = "After the sync period was widened, download the"
            + " older mail in separate low-priority runs (on) or within the regular runs (off).")
    boolean backfill() default true;

    @AttributeDefinition(name = "Messages per backfill run", description = "How much older mail one backfill run"
            + " downloads before it lets regular syncs go first.", min = "1", max = "1000000")
    int backfillMessages() default 5000;

    @AttributeDefinition(name = "First back-off (seconds)", description = "Wait after a transient failure (network,"
            + " timeout, busy server); doubles with each failure up to the plan's interval.", min = "1", max = "86400")
    int backoffSeconds() default 60;

    @AttributeDefinition(name = "Use QRESYNC", description = "Resynchronise with QRESYNC where the server offers it;"
            + " off uses CONDSTORE only (for servers whose QRESYNC is broken).")
    boolean qresync() default true;

    @AttributeDefinition(name = "Runs kept", description = "Runs kept in each mailbox's history.", min = "1", max = "1000")
    int keepRuns() default 20;

    @AttributeDefinition(name = "Header bytes per message (KiB)", description = "How much of a message's header block"
            + " is downloaded. A longer header (real mail has a few KiB; only broken or hostile mail has megabytes) is"
            + " cut there and the message is stored flagged TRUNCATED_HEADER. The MIME parser's header size"
            + " (io.postroom.mime) applies too: the smaller one is used. Keep it well below the largest IMAP response"
            + " (io.postroom.protocol).", min = "4", max = "16384")
    int maxHeaderKilobytes() default 1024;
}
