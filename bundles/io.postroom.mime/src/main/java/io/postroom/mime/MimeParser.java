package io.postroom.mime;

import io.postroom.mime.internal.DefaultMimeParser;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Parses mail for sync and storage. Never throws on bad mail and never drops a message: what
 * cannot be decoded is kept raw or best-effort and flagged with {@link ParseProblem}s.
 *
 * <p>Two paths give the same {@link ParsedMessage}:
 * <ul>
 * <li>IMAP sync: FETCH {@code BODYSTRUCTURE BODY.PEEK[HEADER]}, then {@link #parseHeaders},
 * {@link #structure}, {@link #selectText}; download each {@link TextPart#fetchItem()}; then
 * {@link #assemble}. Attachments are never downloaded.</li>
 * <li>Whole message: {@link #parse(InputStream)} reads the RFC 5322 bytes once, streaming, holding
 * only headers and the (capped) text parts, never an attachment.</li>
 * </ul>
 *
 * <p>The sync path with Angus, per message of a batch (error handling left out):
 * <pre>{@code
 * Response[] r = protocol.fetch(msgset, "UID FLAGS INTERNALDATE RFC822.SIZE BODYSTRUCTURE BODY.PEEK[HEADER]");
 * // for each FetchResponse fr:
 * MessageHeaders headers = parser.parseHeaders(fr.getItem(BODY.class).getByteArray().getNewBytes());
 * BodyPart structure = parser.structure(fr.getItem(BODYSTRUCTURE.class));
 * TextSelection selection = parser.selectText(structure);
 * // fetch every selection.parts().get(i).fetchItem(), e.g. "BODY.PEEK[1.1]" or "BODY.PEEK[2]<0.1048576>",
 * // batched over the messages; then, off the network thread:
 * ParsedMessage message = parser.assemble(headers, structure, Map.of("1.1", bytes, ...));
 * }</pre>
 * When a server's BODYSTRUCTURE is unusable (Angus fails to parse it), fetch {@code BODY.PEEK[]}
 * into a file and call {@link #parse(InputStream)} instead.
 *
 * <p>Implementations are immutable and thread-safe: one instance serves a whole thread pool.
 * In OSGi it is a service (configuration PID {@code io.postroom.mime}); elsewhere use
 * {@link #create(ParseOptions)}.
 */
@ProviderType
public interface MimeParser {

    /** A parser with the given limits. */
    static MimeParser create(ParseOptions options) {
        return new DefaultMimeParser(options);
    }

    /** The limits this parser applies. */
    ParseOptions options();

    /**
     * Reads a raw header block ({@code BODY[HEADER]}: the header fields and, optionally, the blank
     * line after them).
     */
    MessageHeaders parseHeaders(byte[] headerBlock);

    /** Converts the BODYSTRUCTURE of a FETCH response into a {@link BodyPart} tree. */
    BodyPart structure(BODYSTRUCTURE bodyStructure);

    /**
     * Decides from the structure alone which text parts make up the message text (best text/plain
     * and text/html of every multipart/alternative; inline text of mixed, related, signed and report
     * bodies) and lists everything else as attachments.
     */
    TextSelection selectText(BodyPart structure);

    /**
     * Builds the message from its headers, structure and the downloaded text parts.
     *
     * @param textParts the bytes of each {@link TextPart} of {@link #selectText}, as the server sent
     *                  them (still transfer-encoded, possibly cut at the fetch limit), keyed by part
     *                  number; a missing part is flagged {@link ParseProblem#TEXT_PART_MISSING}
     */
    ParsedMessage assemble(MessageHeaders headers, BodyPart structure, Map<String, byte[]> textParts);

    /**
     * As {@link #assemble(MessageHeaders, BodyPart, Map)}, for text parts fetched with the limits of
     * {@code selection}: {@link #selectText} of this structure, or a selection made smaller with
     * {@link TextSelection#within}. A part cut at a lowered limit is decoded as cut (an incomplete
     * character at its end dropped) and the message flagged {@link ParseProblem#TRUNCATED_TEXT}.
     *
     * @since 1.1
     */
    ParsedMessage assemble(MessageHeaders headers, BodyPart structure, TextSelection selection,
                           Map<String, byte[]> textParts);

    /**
     * Parses a complete RFC 5322 message, streaming. Attachments are skipped (only their sizes are
     * counted), so a message of any size needs little memory.
     *
     * @throws IOException only when reading the stream fails, never for bad content
     */
    ParsedMessage parse(InputStream rawMessage) throws IOException;

    /**
     * Sanitises HTML from outside: no scripts, event handlers, frames, forms, objects, external
     * style sheets or javascript:/data: links; links get {@code rel="noopener noreferrer nofollow"};
     * {@code cid:} images are kept, remote images handled per {@link ParseOptions#remoteImages()}.
     * Returns the content of the body. Show it in a sandboxed frame: its CSS is not scoped.
     */
    String sanitizeHtml(String html);

    /** Plain text of an HTML document, for search and previews. */
    String htmlToText(String html);
}
