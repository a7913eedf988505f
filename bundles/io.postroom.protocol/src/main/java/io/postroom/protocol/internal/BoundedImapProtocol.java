package io.postroom.protocol.internal;

import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.StreamedResponses;
import java.io.IOException;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.eclipse.angus.mail.iap.Argument;
import org.eclipse.angus.mail.iap.ByteArray;
import org.eclipse.angus.mail.iap.ProtocolException;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.IMAPProtocol;
import org.eclipse.angus.mail.util.MailLogger;

/**
 * Angus's IMAP protocol with a limit on the size of one response, enforced while it is read and
 * before its bytes are allocated (see {@link BoundedResponseBuffer}).
 *
 * <p>Why the failure surfaces as an {@link IOException}: Angus's {@code Protocol.command()} turns
 * an {@code IOException} from {@link #readResponse()} into a synthetic BYE that carries it; the
 * command ends, the caller's {@code handleResult} disconnects, and the store, folder and Postroom's
 * own raw commands all see an ordinary dropped connection, with the cause kept for classification.
 * A {@code RuntimeException} would escape {@code command()} half way (its response list lost, the
 * connection left open on the rest of the server's literal) and reach callers that do not expect
 * it. The buffer's {@code grow} cannot throw a checked exception, so it throws an unchecked one,
 * and this class, the only caller of Angus's reading code (every read, the greeting's, SASL's and
 * IDLE's included, goes through {@link #readResponse()}), converts it before Angus sees it: no
 * "sneaky throw" of a checked exception through code that does not declare it.
 *
 * <p>The limit comes from the session properties ({@link #MAX_RESPONSE_BYTES}), read when first
 * needed: the greeting and the capabilities are read inside the super constructor, before this
 * class's constructor could store anything.
 *
 * <p>It also tells the connection's {@link CommandDeadline} when a command is written
 * ({@link #writeCommand}) and when a tagged answer comes ({@link #readResponse()}), so that no
 * command takes longer than the command timeout. The deadline is given to the constructor, and is
 * already the socket's (the opening is timed from the start); commands and answers inside the super
 * constructor (the greeting, a CAPABILITY) belong to the opening and need not be noted.
 *
 * <p>What one command's answer holds is bounded as well: Angus's {@code Protocol.command()} keeps
 * every response until the tagged one, so a server sending untagged responses without end (each
 * one small) would fill the heap within the command's deadline. The responses read since the
 * command was written, or since the last tagged response of a pipeline, may hold at most
 * {@link #ANSWER_FACTOR} times the response limit, counted as their buffers' capacity and
 * {@link #RESPONSE_OVERHEAD} bytes each; more fails as a {@link ResponseTooLargeException}, by the
 * same path. Responses a caller takes as they arrive ({@link StreamedResponses}) are not held and
 * not counted.
 */
final class BoundedImapProtocol extends IMAPProtocol implements StreamedResponses {
    /** Session property: the largest IMAP response read, in bytes. */
    static final String MAX_RESPONSE_BYTES = "postroom.imap.maxresponsebytes";

    /** One command's answer may hold this many times the limit of one response. */
    static final int ANSWER_FACTOR = 4;

    /**
     * What a parsed response costs beyond its bytes, roughly: the response object and, for a FETCH,
     * its items (a FLAGS response of 50 bytes takes about 600 in all).
     */
    static final int RESPONSE_OVERHEAD = 512;

    private int limit; // 0 until first needed
    private long held; // the bytes the current command's answer holds so far (see the class comment)
    private long heldResponses;
    private int lastCapacity; // the buffer capacity of the response readOne() read last
    private volatile Predicate<? super Response> taker;
    private BoundedResponseBuffer reading; // the buffer of the response being read
    private volatile Consumer<IOException> observer;
    private final CommandDeadline deadline; // null inside the super constructor

    BoundedImapProtocol(String name, String host, int port, Properties props, boolean isSSL, MailLogger logger,
                        CommandDeadline deadline) throws IOException, ProtocolException {
        super(name, host, port, props, isSSL, logger);
        this.deadline = deadline;
    }

    /** The limit of the session properties; the default when they have none (never unbounded). */
    static int limitOf(Properties props) {
        String value = props == null ? null : props.getProperty(MAX_RESPONSE_BYTES);
        if (value != null) {
            try {
                int limit = Integer.parseInt(value.strip());
                if (limit > 0) {
                    return limit;
                }
            } catch (NumberFormatException e) {
                // the default below
            }
        }
        return ConnectorConfig.DEFAULT_MAX_RESPONSE_BYTES;
    }

    /** What one command's answer may hold with this limit of one response (see the class comment). */
    static long answerLimit(int limit) {
        return (long) ANSWER_FACTOR * limit;
    }

    /**
     * Who hears of a response that was too large ({@link ResponseTooLargeException}) or a command
     * that ran past its deadline ({@link CommandTimeoutException}). Angus's folder and store code
     * turn the connection failure into a {@code StoreClosedException} or
     * {@code FolderClosedException} with a message only, dropping the cause; the store keeps it for
     * classification.
     */
    void observe(Consumer<IOException> observer) {
        this.observer = observer;
    }

    /**
     * Writes a command, noted in the deadline before its first byte (a literal argument waits for
     * the server's go-ahead inside this method, under the command's deadline already).
     */
    @Override
    public String writeCommand(String command, Argument args) throws IOException, ProtocolException {
        held = 0;
        heldResponses = 0;
        CommandDeadline d = deadline;
        if (d == null) {
            return super.writeCommand(command, args);
        }
        CommandDeadline.Command c = d.writing(command, isAuthenticated());
        String tag = null;
        try {
            tag = super.writeCommand(command, args);
            d.written(c, tag, command);
            return tag;
        } finally {
            if (tag == null) {
                d.notWritten(c);
            }
        }
    }

    /** Closes the connection's socket now, without waiting for a command in progress (no lock taken). */
    void abort() {
        CommandDeadline d = deadline;
        if (d != null) {
            d.abort();
        }
    }

    private int limit() {
        if (limit == 0) {
            limit = limitOf(props);
        }
        return limit;
    }

    @Override
    public void streamTo(Predicate<? super Response> taker) {
        this.taker = taker;
    }

    /**
     * A bounded buffer for every response. Angus's partial fetches ({@code IMAPInputStream}) hand
     * in a buffer of their own for one response (returned here by the super method): it is used,
     * bounded as well.
     */
    @Override
    protected ByteArray getResponseBuffer() {
        ByteArray given = super.getResponseBuffer();
        BoundedResponseBuffer buffer = given == null ? new BoundedResponseBuffer(limit())
                : new BoundedResponseBuffer(given.getBytes(), limit());
        reading = buffer;
        return buffer;
    }

    /**
     * Reads the next response that is not {@link #streamTo taken}: responses a taker accepts are
     * handed to it and the next one read. The ones returned are counted towards the command's
     * answer (see the class comment); past its bound, a {@link ResponseTooLargeException}.
     */
    @Override
    public Response readResponse() throws IOException, ProtocolException {
        for (;;) {
            Response r = readOne();
            CommandDeadline d = deadline;
            if (r.isTagged()) {
                if (d != null) {
                    d.answered(r.getTag());
                }
                held = 0;
                heldResponses = 0;
                return r;
            }
            Predicate<? super Response> t = taker;
            if (t != null && !r.isBYE() && t.test(r)) {
                continue;
            }
            held += lastCapacity + RESPONSE_OVERHEAD;
            heldResponses++;
            long answerLimit = answerLimit(limit());
            if (held > answerLimit) {
                throw stopped(ResponseTooLargeException.answer(limit(), answerLimit, heldResponses));
            }
            return r;
        }
    }

    /**
     * Reads one response; one larger than the limit fails with a {@link ResponseTooLargeException}.
     *
     * <p>Besides the buffer's own refusal, Angus's reader has one hole it cannot see: a literal of
     * 2,147,483,632 to 2,147,483,647 bytes overflows its size check ({@code count + 16} turns
     * negative), so it skips growing and fails with an {@link IndexOutOfBoundsException} instead.
     * While the response is still being read (before Angus sets its count), nothing else throws
     * that, so it is the same verdict. The same exception during parsing, after the read, is not
     * this class's business and passes unchanged.
     */
    private Response readOne() throws IOException, ProtocolException {
        reading = null;
        try {
            Response r = super.readResponse();
            BoundedResponseBuffer buffer = reading;
            lastCapacity = buffer == null ? 0 : buffer.getBytes().length;
            return r;
        } catch (CommandTimeoutException e) {
            throw stopped(e);
        } catch (BoundedResponseBuffer.LimitReached e) {
            throw stopped(new ResponseTooLargeException(e.limit(), e.wanted(), null));
        } catch (IndexOutOfBoundsException e) {
            BoundedResponseBuffer buffer = reading;
            if (buffer != null && !buffer.completelyRead()) {
                throw stopped(new ResponseTooLargeException(buffer.limit(), -1, e));
            }
            throw e;
        } finally {
            reading = null;
        }
    }

    private <E extends IOException> E stopped(E e) {
        Consumer<IOException> o = observer;
        if (o != null) {
            o.accept(e);
        }
        return e;
    }
}
