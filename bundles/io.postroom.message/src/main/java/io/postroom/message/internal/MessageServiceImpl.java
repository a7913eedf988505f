package io.postroom.message.internal;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.message.AttachmentContent;
import io.postroom.api.message.Message;
import io.postroom.api.message.MessageId;
import io.postroom.api.message.MessagePage;
import io.postroom.api.message.MessageQuery;
import io.postroom.api.message.MessageService;
import io.postroom.api.message.MessageSummary;
import io.postroom.api.spi.TenantDirectory;
import io.postroom.mailbox.MailboxAccess;
import io.postroom.mailbox.MailboxAccess.Acting;
import io.postroom.mailbox.MailboxConnection;
import io.postroom.mailbox.MailboxConnections;
import io.postroom.message.internal.Access.Sight;
import io.postroom.persistence.AttachmentRecord;
import io.postroom.persistence.MailboxRecord;
import io.postroom.persistence.MailboxStore;
import io.postroom.persistence.MessageCursor;
import io.postroom.persistence.MessageDetail;
import io.postroom.persistence.MessageFilter;
import io.postroom.persistence.MessageListing;
import io.postroom.persistence.MessageRecord;
import io.postroom.persistence.MessageStore;
import io.postroom.persistence.StoreException;
import io.postroom.protocol.MailConnector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link MessageService} over the message store: the access rules of {@link Access} for every
 * caller, cursor paging over any number of mailboxes, and attachments streamed from IMAP by
 * {@link AttachmentFetcher}.
 *
 * <p>Opening an attachment does not feed the mailbox's consecutive-failure counter (success or
 * failure): it is a person's click, possibly repeated many times during a short outage, and ten of
 * them must not deactivate a mailbox. The sync's runs and the owner's connection tests keep that
 * counter; a lasting problem shows there within one sync interval.
 *
 * <p>An attachment being streamed holds one of its mailbox's download slots ({@link DownloadSlots})
 * and an IMAP connection until it is read to its end, closed, or a read of it fails;
 * {@link OpenDownloads} closes the ones nobody reads for {@code downloadIdleSeconds}, and all of
 * them when the component is deactivated. A change of the configuration is applied to the running
 * component ({@link #modified}) and closes no download.
 */
@Component(service = MessageService.class, configurationPid = MessageConfig.PID)
@Designate(ocd = MessageConfig.class)
public final class MessageServiceImpl implements MessageService {
    private static final Logger LOG = LoggerFactory.getLogger(MessageServiceImpl.class);
    /** The message store lists at most this many mailboxes at once. */
    static final int MAILBOXES_PER_QUERY = 500;
    /** {@code downloadIdleSeconds}' default, for the constructors of tests. */
    static final Duration IDLE_LIMIT = Duration.ofSeconds(300);
    private static final Comparator<MessageRecord> NEWEST_FIRST = Comparator.comparing(MessageRecord::date)
            .thenComparingLong(MessageRecord::id).reversed();

    private final MessageStore messages;
    private final MailboxStore mailboxes;
    private final MailboxConnections connections;
    private final MailboxAccess access;
    private final MailConnector connector;
    private final LongSupplier ticker;
    private final int mailboxesPerQuery;
    private final DownloadSlots slots;
    private final OpenDownloads downloads;
    private volatile DownloadSettings settings; // written under this, by the constructor and modified
    private volatile AttachmentFetcher fetcher;  // for settings.rangeBytes()

    @Activate
    public MessageServiceImpl(@Reference MessageStore messages, @Reference MailboxStore mailboxes,
                              @Reference TenantDirectory directory, @Reference MailboxConnections connections,
                              @Reference MailConnector connector, MessageConfig config) {
        this(messages, mailboxes, directory, connections, connector, DownloadSettings.of(config), MAILBOXES_PER_QUERY,
                System::nanoTime);
    }

    MessageServiceImpl(MessageStore messages, MailboxStore mailboxes, TenantDirectory directory,
                       MailboxConnections connections, MailConnector connector, int rangeBytes, int mailboxesPerQuery) {
        this(messages, mailboxes, directory, connections, connector, rangeBytes, mailboxesPerQuery, 4);
    }

    MessageServiceImpl(MessageStore messages, MailboxStore mailboxes, TenantDirectory directory,
                       MailboxConnections connections, MailConnector connector, int rangeBytes, int mailboxesPerQuery,
                       int streamsPerMailbox) {
        this(messages, mailboxes, directory, connections, connector, rangeBytes, mailboxesPerQuery, streamsPerMailbox,
                IDLE_LIMIT, System::nanoTime);
    }

    /**
     * @param rangeBytes        attachments are fetched in ranges of this many bytes
     * @param mailboxesPerQuery mailboxes per store listing (the store's limit; smaller in tests)
     * @param streamsPerMailbox attachments of one mailbox streamed at once
     * @param idleLimit         an attachment stream not read for this long is closed
     * @param ticker            nanoseconds as {@link System#nanoTime()} counts them (a hand-driven one in tests)
     */
    MessageServiceImpl(MessageStore messages, MailboxStore mailboxes, TenantDirectory directory,
                       MailboxConnections connections, MailConnector connector, int rangeBytes, int mailboxesPerQuery,
                       int streamsPerMailbox, Duration idleLimit, LongSupplier ticker) {
        this(messages, mailboxes, directory, connections, connector,
                new DownloadSettings(rangeBytes, streamsPerMailbox, idleLimit), mailboxesPerQuery, ticker);
    }

    /** Starts the thread that closes idle downloads ({@link #deactivate()} stops it). */
    private MessageServiceImpl(MessageStore messages, MailboxStore mailboxes, TenantDirectory directory,
                               MailboxConnections connections, MailConnector connector, DownloadSettings settings,
                               int mailboxesPerQuery, LongSupplier ticker) {
        this.messages = messages;
        this.mailboxes = mailboxes;
        this.connections = connections;
        this.access = new MailboxAccess(directory);
        this.connector = connector;
        this.ticker = ticker;
        this.mailboxesPerQuery = Math.min(mailboxesPerQuery, MAILBOXES_PER_QUERY);
        this.settings = settings;
        this.fetcher = new AttachmentFetcher(connector, settings.rangeBytes(), ticker);
        this.slots = new DownloadSlots(settings.streamsPerMailbox());
        this.downloads = new OpenDownloads(settings.idleLimit(), ticker); // last: nothing after it can fail and leave its thread running
    }

    /**
     * Applies a changed configuration (PID {@value MessageConfig#PID}, {@code config:edit} or
     * {@code etc/io.postroom.message.cfg}; its deletion brings the defaults back) to the running
     * component. No download is closed, and the service stays registered. From the return of this
     * method on:
     * <ul>
     * <li>{@code attachmentFetchKib}: attachments opened from then on are fetched in ranges of the
     *     new size; downloads already open keep fetching ranges of the size they were opened
     *     with.</li>
     * <li>{@code attachmentStreamsPerMailbox}: counts for each download opened from then on.
     *     Downloads already open keep their slots, also when a mailbox now has more of them than
     *     the new limit; it then gets no new one until fewer than the new limit are open.</li>
     * <li>{@code downloadIdleSeconds}: applies to every open download, the ones opened before
     *     included, from the next sweep on (due a tenth of the new limit later, between 100 ms and
     *     30 s); the time without a read still counts from the last read (or the opening), so a
     *     lowered limit closes then the downloads already unread for longer than it.</li>
     * </ul>
     * The new configuration is checked as activation checks it, before anything is applied: when
     * a value is out of bounds nothing changes (the running component keeps its whole previous
     * configuration) and this throws the {@link IllegalArgumentException} activation would throw
     * for it, which SCR logs; the component keeps running.
     *
     * @throws IllegalArgumentException naming the setting out of bounds and what it must be
     */
    @Modified
    synchronized void modified(MessageConfig config) {
        DownloadSettings next;
        try {
            next = DownloadSettings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("The new configuration of {} was not applied, the running one ({}) stays: {}", MessageConfig.PID,
                    settings, e.getMessage());
            throw e;
        }
        DownloadSettings was = settings;
        if (next.rangeBytes() != was.rangeBytes()) {
            fetcher = new AttachmentFetcher(connector, next.rangeBytes(), ticker);
        }
        slots.limit(next.streamsPerMailbox());
        downloads.idleLimit(next.idleLimit());
        settings = next;
        if (!next.equals(was)) {
            LOG.info("Configuration of {} changed to {} (was {}); open attachment downloads go on", MessageConfig.PID, next,
                    was);
        }
    }

    /** The configuration in force. */
    DownloadSettings settings() {
        return settings;
    }

    /** Closes every attachment still being streamed and stops the thread that closes idle ones. */
    @Deactivate
    void deactivate() {
        downloads.close();
    }

    // ------------------------------------------------------------------ list

    @Override
    public MessagePage list(Actor actor, MessageQuery query) {
        Acting a = access.resolve(actor);
        if (query == null) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "query", "Say which messages to list.");
        }
        MessageCursor after = Cursors.parse(query.cursor());
        String folder = query.folder() == null || query.folder().isBlank() ? null : query.folder();
        Map<Long, Sight> sights = new LinkedHashMap<>();
        if (query.mailbox() != null) {
            MailboxRecord m = db(() -> mailboxes.find(query.mailbox().value()))
                    .filter(r -> r.tenant().equals(a.actor().tenant()))
                    .orElseThrow(() -> MailboxAccess.notFound(query.mailbox()));
            Sight s = Access.sight(a, m);
            if (!s.visible()) {
                // whether the actor sees the mailbox itself decides between "access denied" and "not found"
                throw MailboxAccess.sees(a, m) ? Access.messagesNotVisible(m) : MailboxAccess.notFound(query.mailbox());
            }
            sights.put(m.id(), s);
        } else {
            for (MailboxRecord m : db(() -> mailboxes.listByTenant(a.actor().tenant()))) {
                Sight s = Access.sight(a, m);
                if (s.visible()) {
                    sights.put(m.id(), s);
                }
            }
        }
        if (sights.isEmpty()) {
            return new MessagePage(List.of(), null);
        }
        // the store lists a bounded number of mailboxes at once: the top of each group, merged
        List<Long> ids = new ArrayList<>(sights.keySet());
        List<MessageRecord> merged = new ArrayList<>();
        boolean more = false;
        for (int from = 0; from < ids.size(); from += mailboxesPerQuery) {
            List<Long> group = ids.subList(from, Math.min(ids.size(), from + mailboxesPerQuery));
            MessageListing listing = db(() -> messages.list(new MessageFilter(group, folder, after, query.limit())));
            merged.addAll(listing.messages());
            more |= listing.next() != null;
        }
        merged.sort(NEWEST_FIRST);
        if (merged.size() > query.limit()) {
            merged = merged.subList(0, query.limit());
            more = true;
        }
        List<MessageSummary> page = new ArrayList<>(merged.size());
        for (MessageRecord r : merged) {
            page.add(Views.summary(r, sights.get(r.mailboxId())));
        }
        String next = null;
        if (more && !merged.isEmpty()) {
            MessageRecord last = merged.get(merged.size() - 1);
            next = Cursors.token(new MessageCursor(last.date(), last.id()));
        }
        return new MessagePage(page, next);
    }

    // ------------------------------------------------------------------ one message, its thread

    /** A message with what the actor sees of it. */
    private record Seen(MessageDetail detail, MailboxRecord mailbox, Sight sight) {
    }

    private Seen seen(Acting a, MessageId id) {
        if (id == null) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "id", "Say which message.");
        }
        MessageDetail d = db(() -> messages.find(id.value())).orElseThrow(() -> Access.messageNotFound(id));
        if (!d.summary().tenant().equals(a.actor().tenant())) {
            throw Access.messageNotFound(id);
        }
        MailboxRecord m = db(() -> mailboxes.find(d.summary().mailboxId())).orElseThrow(() -> Access.messageNotFound(id));
        Sight s = Access.sight(a, m);
        if (!s.visible()) {
            throw Access.messageNotFound(id);
        }
        return new Seen(d, m, s);
    }

    @Override
    public Message get(Actor actor, MessageId id) {
        Seen s = seen(access.resolve(actor), id);
        return Views.message(s.detail(), s.sight());
    }

    @Override
    public List<MessageSummary> thread(Actor actor, MessageId id) {
        Acting a = access.resolve(actor);
        Seen s = seen(a, id);
        List<MessageRecord> members = db(() -> messages.thread(s.detail().summary().threadId()));
        Map<Long, Sight> sights = new HashMap<>();
        sights.put(s.mailbox().id(), s.sight());
        List<MessageSummary> result = new ArrayList<>(members.size());
        for (MessageRecord r : members) {
            Sight sight = sights.computeIfAbsent(r.mailboxId(), mailboxId -> db(() -> mailboxes.find(mailboxId))
                    .map(m -> Access.sight(a, m)).orElse(Sight.NONE));
            if (sight.visible() && r.tenant().equals(a.actor().tenant())) {
                result.add(Views.summary(r, sight));
            }
        }
        return result;
    }

    // ------------------------------------------------------------------ attachments

    @Override
    public AttachmentContent openAttachment(Actor actor, MessageId id, int index) {
        Seen s = seen(access.resolve(actor), id);
        if (s.sight() != Sight.FULL) {
            throw Access.contentHidden(id);
        }
        MessageDetail d = s.detail();
        AttachmentRecord attachment = d.attachments().stream().filter(x -> x.index() == index).findFirst()
                .orElseThrow(() -> new PostroomException(ErrorCode.ATTACHMENT_NOT_FOUND, d.attachments().isEmpty()
                        ? "Message " + id + " has no attachments."
                        : "Message " + id + " has no attachment " + index + "; its attachments are numbered 1 to "
                                + d.attachments().size() + ".", Map.of("message", id.value(), "index", index)));
        if (d.locations().isEmpty() && AttachmentFetcher.bare(d.summary().messageIdHeader()).isEmpty()) {
            throw AttachmentFetcher.gone(id); // nowhere to look, nothing to search for
        }
        MailboxConnection connection;
        try {
            connection = connections.connection(MailboxId.of(s.mailbox().id()));
        } catch (PostroomException e) {
            if (e.code() == ErrorCode.MAILBOX_INACTIVE) {
                throw new PostroomException(ErrorCode.MAILBOX_INACTIVE, "The attachment cannot be opened: mailbox "
                        + s.mailbox().address() + " is inactive" + reason(s.mailbox()) + ", so Postroom does not connect to"
                        + " its mail server. The message's text stays readable; the owner can activate the mailbox again"
                        + " to open attachments.", Map.of("mailbox", s.mailbox().id(), "message", id.value()), e);
            }
            if (e.code() == ErrorCode.MAILBOX_NOT_FOUND) {
                throw Access.messageNotFound(id); // deleted meanwhile
            }
            throw e;
        }
        downloads.checkRunning();
        Runnable release = slots.take(s.mailbox().id(), s.mailbox().address().value());
        try {
            StreamedAttachment content = fetcher.open(connection, id, d.summary().messageIdHeader(), d.locations(), attachment,
                    release);
            downloads.add(content);
            return content;
        } catch (RuntimeException | Error e) {
            release.run();
            throw e;
        }
    }

    /** Attachments of the mailbox being streamed now. */
    int streaming(long mailboxId) {
        return slots.inUse(mailboxId);
    }

    /** The attachment streams open on this node, and the closing of idle ones (tests drive it by hand). */
    OpenDownloads downloads() {
        return downloads;
    }

    private static String reason(MailboxRecord m) {
        String r = m.inactiveReason();
        return r == null || r.isBlank() ? "" : " (" + r.strip() + ")";
    }

    // ------------------------------------------------------------------ database

    private static <T> T db(Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException e) {
            throw new PostroomException(ErrorCode.UNAVAILABLE, "The database is not available; try again later.", Map.of(), e);
        }
    }
}
