package io.postroom.protocol;

import java.util.function.Predicate;
import org.eclipse.angus.mail.iap.Response;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Untagged IMAP responses taken one by one as they arrive, instead of being kept until the
 * command's tagged answer. The Angus protocol object of every IMAP connection Postroom opens (what
 * {@code IMAPFolder.doCommand} hands to its callback) implements this.
 *
 * <p>Why: Angus's {@code Protocol.command()} keeps every response of a command until its end, and
 * Postroom bounds what one command's answer may hold (four times the largest response,
 * {@code maxResponseMegabytes} of {@code io.postroom.protocol}): a server that sends untagged
 * responses without end fails the command as a protocol failure instead of filling the heap.
 * Answers that legitimately grow with a folder (EXAMINE with QRESYNC, or a FETCH with
 * CHANGEDSINCE, after many changes) are taken as they come: a taken response is neither kept nor
 * counted.
 *
 * @since 1.3
 */
@ProviderType
public interface StreamedResponses {

    /**
     * From now until it is called with {@code null}, every untagged response {@code taker} returns
     * true for is handed to it as soon as it is read (on the thread reading the command's answer)
     * and not returned to Angus; the others are returned as usual. Tagged responses and BYE are
     * never offered. Call it from the thread that sends the command, and clear it in a
     * {@code finally} block.
     */
    void streamTo(Predicate<? super Response> taker);
}
