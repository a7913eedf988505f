package io.postroom.mime.internal;

import io.postroom.api.PostroomException;
import io.postroom.mime.BodyPart;
import io.postroom.mime.MessageHeaders;
import io.postroom.mime.MimeParser;
import io.postroom.mime.ParseOptions;
import io.postroom.mime.ParseProblem;
import io.postroom.mime.ParsedMessage;
import io.postroom.mime.RemoteImages;
import io.postroom.mime.TextSelection;
import java.io.IOException;
import java.io.InputStream;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.angus.mail.imap.protocol.BODYSTRUCTURE;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link MimeParser}: immutable, one instance for all threads. */
@Component(service = MimeParser.class, configurationPid = "io.postroom.mime")
@Designate(ocd = MimeParserConfig.class)
public final class DefaultMimeParser implements MimeParser {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultMimeParser.class);

    private final ParseOptions options;
    private final HtmlSanitizer sanitizer;
    private final MessageAssembler assembler;

    @Activate
    public DefaultMimeParser(MimeParserConfig config) {
        this(options(config));
    }

    public DefaultMimeParser(ParseOptions options) {
        this.options = Objects.requireNonNull(options, "options");
        this.sanitizer = new HtmlSanitizer(options.remoteImages());
        this.assembler = new MessageAssembler(options, sanitizer);
    }

    /** Options from the configuration; invalid values fall back to the defaults (and are logged). */
    static ParseOptions options(MimeParserConfig config) {
        RemoteImages remote;
        try {
            remote = RemoteImages.valueOf(config.remoteImages().strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            LOG.warn("io.postroom.mime: remoteImages '{}' is not BLOCK, REMOVE or ALLOW; using BLOCK",
                    config.remoteImages());
            remote = RemoteImages.BLOCK;
        }
        try {
            return limits(config, remote);
        } catch (PostroomException e) {
            LOG.warn("io.postroom.mime: {} Using the default limits.", e.getMessage());
            return ParseOptions.defaults().withRemoteImages(remote);
        }
    }

    /**
     * The configured limits, checked by {@link ParseOptions}; the text per message caps the text per
     * part as well (a part cannot hold more than its message).
     *
     * @throws PostroomException naming the first limit out of bounds
     */
    static ParseOptions limits(MimeParserConfig config, RemoteImages remote) {
        return new ParseOptions(Math.min(config.maxTextBytes(), Math.max(1024, config.maxTotalTextBytes())),
                config.maxTotalTextBytes(), config.maxDepth(), config.maxParts(), config.maxHeaderBytes(),
                config.maxHeaderValueChars(), remote);
    }

    @Override
    public ParseOptions options() {
        return options;
    }

    @Override
    public MessageHeaders parseHeaders(byte[] headerBlock) {
        Objects.requireNonNull(headerBlock, "headerBlock");
        int length = Math.min(headerBlock.length, options.maxHeaderBytes());
        MessageHeaders headers = HeaderParser.parse(headerBlock, 0, length, options.maxHeaderValueChars()).headers();
        if (length < headerBlock.length && endOfHeader(headerBlock) > length) {
            return withProblem(headers, ParseProblem.TRUNCATED_HEADER);
        }
        return headers;
    }

    @Override
    public BodyPart structure(BODYSTRUCTURE bodyStructure) {
        Objects.requireNonNull(bodyStructure, "bodyStructure");
        return ImapStructureConverter.convert(bodyStructure, options);
    }

    @Override
    public TextSelection selectText(BodyPart structure) {
        Objects.requireNonNull(structure, "structure");
        return TextPartSelector.select(structure, options);
    }

    @Override
    public ParsedMessage assemble(MessageHeaders headers, BodyPart structure, Map<String, byte[]> textParts) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(structure, "structure");
        return assembler.assemble(headers, structure, textParts == null ? Map.of() : textParts, Set.of());
    }

    @Override
    public ParsedMessage assemble(MessageHeaders headers, BodyPart structure, TextSelection selection,
                                  Map<String, byte[]> textParts) {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(structure, "structure");
        Objects.requireNonNull(selection, "selection");
        return assembler.assemble(headers, structure, selection, textParts == null ? Map.of() : textParts, Set.of());
    }

    @Override
    public ParsedMessage parse(InputStream rawMessage) throws IOException {
        Objects.requireNonNull(rawMessage, "rawMessage");
        MimeStreamParser.Result result = new MimeStreamParser(rawMessage, options).parse();
        return assembler.assemble(result.header().headers(), result.structure(), result.textParts(),
                result.problems());
    }

    @Override
    public String sanitizeHtml(String html) {
        return sanitizer.sanitize(html).html();
    }

    @Override
    public String htmlToText(String html) {
        return HtmlText.toText(html);
    }

    private static int endOfHeader(byte[] block) {
        for (int i = 0; i + 1 < block.length; i++) {
            if (block[i] == '\n' && (block[i + 1] == '\n' || block[i + 1] == '\r' && i + 2 < block.length
                    && block[i + 2] == '\n')) {
                return i;
            }
        }
        return block.length;
    }

    private static MessageHeaders withProblem(MessageHeaders h, ParseProblem problem) {
        EnumSet<ParseProblem> problems = EnumSet.of(problem);
        problems.addAll(h.problems());
        return new MessageHeaders(h.from(), h.sender(), h.replyTo(), h.to(), h.cc(), h.bcc(), h.subject(), h.date(),
                h.messageId(), h.inReplyTo(), h.references(), h.autoSubmitted(), h.listId(), h.precedence(),
                h.returnPath(), h.fingerprint(), h.rawValues(), problems);
    }
}
