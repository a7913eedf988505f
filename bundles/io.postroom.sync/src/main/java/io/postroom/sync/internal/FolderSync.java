package io.postroom.sync.internal;

import io.postroom.api.mailbox.SyncPeriod;
import io.postroom.api.sync.QuarantinedMessage;
import io.postroom.mime.MimeParser;
import io.postroom.mime.ParsedMessage;
import io.postroom.persistence.ClaimKind;
import io.postroom.persistence.FlagUpdate;
import io.postroom.persistence.FolderCheckpoint;
import io.postroom.persistence.FolderRecord;
import io.postroom.persistence.LocationRecord;
import io.postroom.persistence.MessageBatch;
import io.postroom.persistence.MessageDraft;
import io.postroom.persistence.QuarantineDraft;
import io.postroom.persistence.RemapEntry;
import io.postroom.sync.internal.Imap.FolderInfo;
import io.postroom.sync.internal.Imap.ImapException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.eclipse.angus.mail.imap.ResyncData;
import org.eclipse.angus.mail.imap.protocol.FLAGS;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.MODSEQ;
import org.eclipse.angus.mail.imap.protocol.MailboxInfo;
import org.eclipse.angus.mail.imap.protocol.UID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Synchronises one folder:
 * <ol>
 * <li>STATUS (from LIST-STATUS or STATUS) against the stored checkpoint: with CONDSTORE, unchanged
 *     UIDVALIDITY, UIDNEXT, MESSAGES and HIGHESTMODSEQ mean nothing to do (no EXAMINE);</li>
 * <li>EXAMINE (read-only), with QRESYNC data or CONDSTORE when offered;</li>
 * <li>a new UIDVALIDITY: every message is matched again by Message-ID (or header fingerprint),
 *     record ids stay, locations are rewritten;</li>
 * <li>flag changes and expunges of stored messages: QRESYNC VANISHED/FETCH, else CHANGEDSINCE and
 *     a UID SEARCH of the stored range, else a FLAGS fetch of the stored range;</li>
 * <li>quarantined messages retried (bounded);</li>
 * <li>new mail (above the high UID; on the first sync everything within the sync period), newest
 *     first, in bounded batches: fetch, parse on the pool, one transaction per batch with the
 *     checkpoint;</li>
 * <li>older mail after the period was widened (backfill, by date, at low priority).</li>
 * </ol>
 * UIDs already stored are never fetched again, so a run that stopped anywhere resumes there.
 */
final class FolderSync {
    /** Above this many VANISHED ranges, the stored UIDs they span are read in one pass instead of per range. */
    private static final int VANISHED_RANGE_QUERIES = 32;

    private static final Logger LOG = LoggerFactory.getLogger(FolderSync.class);
    private static final int REMAP_CHUNK = 1000;

    /**
     * What one FLAGS response ({@code * 7 FETCH (UID 9 FLAGS (\Seen $Label1) MODSEQ (42))}) costs
     * against the answer's bound at most: its buffer (Angus's first is 128 bytes; flags and keywords
     * of up to 1 KiB) and the 512 bytes the connection counts per response.
     */
    static final long FLAGS_RESPONSE = 1536;

    /**
     * What one response of the remap's Message-ID fetch costs at most: the field, at most
     * {@link Fetcher#MESSAGE_ID_BYTES}, and the line around it, twice (Angus's buffer may double when
     * the line goes on past the literal), and the 512 bytes the connection counts.
     */
    static final long MESSAGE_ID_RESPONSE = 2 * (Fetcher.MESSAGE_ID_BYTES + 1024) + 512;

    private final RunContext ctx;
    private final Imap imap;
    private final Fetcher fetcher;
    private final BatchWriter writer;
    private final DraftBuilder drafts;
    private final String name;
    private final boolean sentFolder;
    private final SyncPeriod period;
    /**
     * Stored locations read (and flag changes and expunges written) at a time: 25 download batches
     * (5,000 by default), as a flag change is far smaller than a message.
     */
    private final int page;
    /** Changes reported by the server kept at most before the folder is compared page by page instead. */
    private final int changesKept;

    FolderSync(RunContext ctx, Imap imap, Fetcher fetcher, BatchWriter writer, DraftBuilder drafts, String name,
               boolean sentFolder, SyncPeriod period) {
        this.ctx = ctx;
        this.imap = imap;
        this.fetcher = fetcher;
        this.writer = writer;
        this.drafts = drafts;
        this.name = name;
        this.sentFolder = sentFolder;
        this.period = period == null ? SyncPeriod.DEFAULT : period;
        this.page = Math.max(500, Math.min(20_000, 25 * ctx.parts.settings().batchMessages()));
        this.changesKept = 4 * page;
    }

    /** What the folder sync left for later. */
    record Result(boolean backfillPending) {
    }

    /** Start of the sync period: midnight UTC of the first day. */
    Instant periodStart(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC).minus(period.period()).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    Result sync(FolderRecord stored, FolderInfo status) throws ImapException {
        Instant now = ctx.parts.clock().instant();
        Instant periodStart = periodStart(now);
        boolean backfillRun = ctx.claim.kind() == ClaimKind.BACKFILL;
        boolean backfillInline = !ctx.parts.settings().backfill();
        boolean firstDone = stored.highUid() != null;
        boolean sameValidity = stored.uidValidity() != null && stored.uidValidity() == status.uidValidity();
        boolean needsBackfill = firstDone && backfillPending(stored.checkpoint(), periodStart);
        List<QuarantinedMessage> retryable = sameValidity
                ? ctx.parts.quarantine().retryable(ctx.mailboxId(), name, status.uidValidity()) : List.of();

        if (backfillRun && !needsBackfill) {
            return new Result(false);
        }
        if (!backfillRun && imap.condstore() && sameValidity && firstDone && status.highestModSeq() > 0
                && stored.highestModSeq() != null && stored.highestModSeq() == status.highestModSeq()
                && stored.uidNext() != null && stored.uidNext() == status.uidNext()
                && stored.messagesOnServer() == status.messages() && retryable.isEmpty()
                && !(needsBackfill && backfillInline)) {
            return new Result(needsBackfill); // nothing changed: one round trip (STATUS) for the folder
        }
        if (!backfillRun && stored.uidValidity() == null && status.messages() == 0 && status.uidValidity() > 0
                && status.uidNext() > 0) {
            // never examined (so nothing of it is stored) and empty on the server: its state comes from
            // STATUS, no EXAMINE or SEARCH (Drafts, Junk and the like on a first sync). Mail that arrives
            // meanwhile has a UID from this UIDNEXT on, so the next run finds it above the high UID.
            ctx.progress.estimate(name, 0);
            Long modSeq = status.highestModSeq() > 0 ? status.highestModSeq() : null;
            FolderCheckpoint empty = stored.checkpoint()
                    .withServer(status.uidValidity(), status.uidNext(), modSeq, 0, now)
                    .withHighUid(status.uidNext() - 1)
                    .withCompleteSince(periodStart);
            ctx.parts.folders().saveCheckpoint(ctx.lease, stored.id(), empty);
            return new Result(false);
        }

        // EXAMINE, with what the server can resume from
        ResyncData resync = null;
        boolean qresync = false;
        if (imap.qresync() && sameValidity && stored.highestModSeq() != null && stored.highestModSeq() > 0) {
            imap.enableQresync(); // once per connection, only when a folder needs it
            resync = new ResyncData(stored.uidValidity(), stored.highestModSeq());
            qresync = true;
        } else if (imap.condstore()) {
            resync = ResyncData.CONDSTORE;
        }
        // with QRESYNC the changes since the stored HIGHESTMODSEQ come with the EXAMINE's answer, taken as they arrive
        // (above the highest stored UID, not the high UID: a stopped first batch stores the newest mail above it)
        ServerChanges reported = qresync
                ? new ServerChanges(ctx.parts.folders().highestLocatedUid(stored.id()), changesKept) : null;
        MailboxInfo mi = imap.examine(name, resync, reported);
        long uidValidity = mi.uidvalidity > 0 ? mi.uidvalidity : status.uidValidity();
        long uidNext = mi.uidnext > 0 ? mi.uidnext : status.uidNext();
        // null when the folder has no mod-sequences ([NOMODSEQ]) even though the server has CONDSTORE
        Long modSeq = imap.condstore() && mi.highestmodseq > 0 ? mi.highestmodseq : null;
        fetcher.modSeqs(modSeq != null);
        long total = mi.total;

        FolderRecord rec = stored;
        boolean remapped = false;
        if (rec.uidValidity() != null && rec.uidValidity() != uidValidity) {
            rec = remap(rec, uidValidity, uidNext, modSeq, total, now);
            remapped = true;
            retryable = List.of();
        }
        Set<Long> quarantined = quarantinedUids(uidValidity);

        if (!backfillRun && !remapped && rec.highUid() != null) {
            changes(rec, mi, reported, modSeq, uidValidity, uidNext);
        }
        if (!backfillRun && !retryable.isEmpty()) {
            List<Long> uids = retryable.stream().map(QuarantinedMessage::uid).sorted(Collections.reverseOrder()).toList();
            LOG.info("Mailbox {}: retrying {} quarantined messages of {}", ctx.mailboxId(), uids.size(), name);
            FolderRecord base = rec;
            download(rec.id(), uidValidity, uids, true, Long.MAX_VALUE, (last, low) -> null);
            rec = base;
        }

        FolderCheckpoint cp = rec.checkpoint();
        boolean backfillLeft = needsBackfill;
        if (!backfillRun) {
            // new mail: above the high UID, or everything within the period on the first sync
            // (in UID ranges when one answer could hold more UIDs than one response may: Imap.uidSearch)
            long[] found = rec.highUid() == null
                    ? imap.uidSearch(Imap.since(periodStart), 1, uidNext - 1, total)
                    : imap.uidSearch("UID " + (rec.highUid() + 1) + ":*", rec.highUid() + 1, uidNext - 1, total);
            Long high = rec.highUid();
            List<Long> region = region(rec.id(), found, high == null ? 0 : high, Long.MAX_VALUE, quarantined);
            long max = found.length == 0 ? 0 : found[found.length - 1];
            long newHigh = Math.max(high == null ? 0 : high, Math.max(uidNext - 1, max));
            Instant completeSince = rec.completeSince() == null ? periodStart : rec.completeSince();
            // batches before the last keep the old high UID and MODSEQ (a crash must not skip anything)
            FolderCheckpoint base = new FolderCheckpoint(uidValidity, cp.uidNext(), cp.highUid(), cp.lowUid(),
                    cp.highestModSeq(), cp.messagesOnServer(), cp.completeSince(), cp.syncedAt());
            FolderCheckpoint done = base.withServer(uidValidity, uidNext, modSeq, total, now).withHighUid(newHigh)
                    .withCompleteSince(completeSince);
            ctx.progress.estimate(name, region.size());
            // the low UID stays as it is: it is the cursor of a backfill pass (see backfill)
            download(rec.id(), uidValidity, region, false, Long.MAX_VALUE, (last, lowest) -> last ? done : base);
            if (region.isEmpty()) {
                ctx.parts.folders().saveCheckpoint(ctx.lease, rec.id(), done);
            }
            cp = done;
            backfillLeft = backfillPending(cp, periodStart);
        }
        if ((backfillRun || backfillInline) && backfillLeft && cp.completeSince() != null) {
            backfillLeft = backfill(rec, cp, periodStart, uidValidity, quarantined, backfillRun, uidNext, total);
        }
        return new Result(backfillLeft);
    }

    /**
     * Whether older mail is left to download: the period reaches further back than what is
     * complete, or a backfill pass is under way (its cursor is set).
     */
    static boolean backfillPending(FolderCheckpoint cp, Instant periodStart) {
        return cp.completeSince() != null && (cp.completeSince().isAfter(periodStart) || cp.lowUid() != null);
    }

    /**
     * Older mail after the period was widened, newest UID first, at most the run's budget. A pass
     * moves {@code completeSince} to its target (the period start) when it begins and keeps its
     * cursor in {@code lowUid}: every message of the pass at or above the cursor was processed
     * (stored, left out by the keep setting, quarantined or gone), so the next run goes on below it
     * and every run makes progress, however many messages the keep setting leaves out. The pass
     * ends with the cursor cleared. A pass begins at the top when none is under way, and again when
     * the period was widened during one (its cursor does not cover the added days).
     */
    private boolean backfill(FolderRecord rec, FolderCheckpoint cp, Instant periodStart, long uidValidity,
                             Set<Long> quarantined, boolean bounded, long uidNext, long total) throws ImapException {
        Long cursor = cp.lowUid();
        boolean fromTop = cursor == null || cp.completeSince().isAfter(periodStart);
        Instant target = fromTop ? periodStart : cp.completeSince();
        String criteria = cursor == null
                // everything from completeSince on is processed; one day of overlap: servers use their own time zone
                ? Imap.since(target) + " " + Imap.before(cp.completeSince().plusSeconds(86_400))
                // what a pass left below its cursor can have any date from its target on
                : Imap.since(target);
        long[] found = imap.uidSearch(criteria, 1, fromTop ? uidNext - 1 : cursor - 1, total);
        List<Long> region = region(rec.id(), found, 0, fromTop ? Long.MAX_VALUE : cursor, quarantined);
        long budget = bounded ? Math.max(0, ctx.backfillBudget.get()) : Long.MAX_VALUE;
        boolean complete = region.size() <= budget;
        List<Long> now = complete ? region : region.subList(0, (int) budget);
        ctx.progress.addEstimate(name, now.size());
        FolderCheckpoint pass = cp.withCompleteSince(target);
        FolderCheckpoint done = pass.withLowUid(null);
        LOG.info("Mailbox {}: backfilling {} of {} older messages of {}", ctx.mailboxId(), now.size(), region.size(), name);
        download(rec.id(), uidValidity, now, false, budget, (last, lowest) -> last && complete ? done
                : lowest == Long.MAX_VALUE ? cp : pass.withLowUid(lowest));
        if (now.isEmpty() && complete) {
            ctx.parts.folders().saveCheckpoint(ctx.lease, rec.id(), done);
        }
        if (bounded) {
            ctx.backfillBudget.addAndGet(-now.size());
        }
        return !complete;
    }

    /** UIDs found on the server above {@code above}, not stored and not in quarantine, newest first. */
    private List<Long> region(long folderId, long[] found, long above, long below, Set<Long> quarantined) {
        if (drafts.keepsNothingIn(sentFolder)) {
            // the Sent folder while only received mail is kept: every message would be left out, so none is fetched
            // (a wider keep setting later makes the folder start over: FolderStore.applyKeep)
            return List.of();
        }
        long[] uids = new long[found.length];
        int n = 0;
        for (long u : found) {
            if (u > above && u < below && !quarantined.contains(u)) {
                uids[n++] = u;
            }
        }
        if (n == 0) {
            return new ArrayList<>();
        }
        Set<Long> located = ctx.parts.folders().locatedUids(folderId, uids[0], uids[n - 1]);
        // newest first, in a primitive array: a first sync of 100,000 messages holds 0.8 MB of UIDs, not 2.4 MB of Longs
        long[] result = new long[n];
        int r = 0;
        for (int i = n - 1; i >= 0; i--) {
            if (!located.contains(uids[i])) {
                result[r++] = uids[i];
            }
        }
        return new UidList(java.util.Arrays.copyOf(result, r));
    }

    /** UIDs as a list over a primitive array. */
    private static final class UidList extends java.util.AbstractList<Long> implements java.util.RandomAccess {
        private final long[] uids;

        UidList(long[] uids) {
            this.uids = uids;
        }

        @Override
        public Long get(int index) {
            return uids[index];
        }

        @Override
        public int size() {
            return uids.length;
        }
    }

    /** The UIDs of the folder's quarantined messages under this UIDVALIDITY. */
    private Set<Long> quarantinedUids(long uidValidity) {
        Set<Long> uids = new HashSet<>();
        for (QuarantinedMessage q : ctx.parts.quarantine().list(ctx.mailboxId())) {
            if (q.folder().equals(name) && q.uidValidity() == uidValidity) {
                uids.add(q.uid());
            }
        }
        return uids;
    }

    interface Checkpoints {
        /**
         * The checkpoint to write with a batch: {@code last} for the region's last batch; every UID
         * of the region at or above {@code lowest} is processed ({@code Long.MAX_VALUE}: none yet).
         */
        FolderCheckpoint at(boolean last, long lowest);
    }

    /**
     * Downloads the messages at these UIDs (newest first) in bounded batches through the pipeline.
     *
     * @param retry the UIDs are quarantined messages: success resolves their entry
     */
    private void download(long folderId, long uidValidity, List<Long> uids, boolean retry, long limit,
                          Checkpoints checkpoints) throws ImapException {
        int batchMessages = ctx.parts.settings().batchMessages();
        TextBudget budget = fetcher.budget();
        int count = (int) Math.min(uids.size(), limit);
        // metadata fetched ahead, not in a batch yet; and UIDs found gone meanwhile, reported with the next batch
        List<Fetched> ready = new ArrayList<>();
        List<Long> gone = new ArrayList<>();
        int next = 0;
        long lowest = Long.MAX_VALUE;
        ImapException brokenAfter = null;
        // until every UID is stored or reported gone (the last round may carry only UIDs found gone)
        while (next < count || !ready.isEmpty() || !gone.isEmpty()) {
            ctx.checkAlive();
            long waited = System.nanoTime();
            writer.awaitSlot();
            long fetchStart = System.nanoTime();
            ctx.waitNanos.addAndGet(fetchStart - waited);
            List<Fetched> batch = new ArrayList<>();
            List<Long> batchGone;
            try {
                if (ready.isEmpty()) {
                    List<Long> ask = uids.subList(next, Math.min(count, next + batchMessages));
                    next += ask.size();
                    ready.addAll(metaOf(ask, gone));
                }
                // the batch: as many ready messages as fit in its bytes and its answer (at least one)
                TextBudget.Tally tally = budget.tally();
                int taken = 0;
                for (Fetched f : ready) {
                    if (batch.size() >= batchMessages || !tally.take(f)) {
                        break;
                    }
                    batch.add(f);
                    taken++;
                }
                ready = new ArrayList<>(ready.subList(taken, ready.size()));
                batchGone = new ArrayList<>(gone);
                gone.clear();
                // one round trip: this batch's text parts and the next messages' metadata
                List<Long> ask = ready.size() < batchMessages && next < count
                        ? uids.subList(next, Math.min(count, next + batchMessages - ready.size())) : List.of();
                next += ask.size();
                Fetcher.Round round = fetcher.textsAndMeta(batch, ask);
                if (round.lost() != null) {
                    // the connection broke after this batch was complete: store it, then fail the run (what is
                    // in ready is not stored; it still holds the cursor below)
                    brokenAfter = round.lost();
                } else {
                    noteGone(ask, round.next(), gone);
                    ready.addAll(round.next());
                }
            } catch (ImapException | RuntimeException e) {
                writer.releaseSlot();
                throw e;
            }
            ctx.fetchNanos.addAndGet(System.nanoTime() - fetchStart);
            for (Fetched f : batch) {
                lowest = Math.min(lowest, f.uid());
            }
            for (long g : batchGone) {
                lowest = Math.min(lowest, g);
            }
            boolean last = brokenAfter == null && next >= count && ready.isEmpty() && gone.isEmpty();
            // the lowest UID processed, but never at or below one still waiting: UIDs found gone by the
            // metadata fetched ahead can be lower than messages not stored yet (a backfill's cursor must
            // not pass those, even when the connection broke and they are never stored in this run)
            long waiting = ready.stream().mapToLong(Fetched::uid).max().orElse(0);
            long lowNow = waiting > 0 && lowest <= waiting ? waiting + 1 : lowest;
            List<Long> resolve = new ArrayList<>();
            if (retry) {
                batch.forEach(f -> resolve.add(f.uid()));
                resolve.addAll(batchGone);
            }
            CompletableFuture<BatchWriter.Parsed> parsed = parse(batch, uidValidity, batchGone.size(), resolve);
            writer.submit(folderId, uidValidity, parsed, () -> checkpoints.at(last, lowNow), name);
            if (brokenAfter != null) {
                throw brokenAfter; // the writer still stores what was submitted (BatchWriter.close)
            }
        }
        writer.drain();
    }

    /** Metadata of these UIDs; the ones not on the server any more go to {@code gone}. */
    private List<Fetched> metaOf(List<Long> ask, List<Long> gone) throws ImapException {
        List<Fetched> fetched = ask.isEmpty() ? List.of() : fetcher.meta(ask);
        noteGone(ask, fetched, gone);
        return fetched;
    }

    private static void noteGone(List<Long> asked, List<Fetched> fetched, List<Long> gone) {
        if (asked.size() == fetched.size()) {
            return;
        }
        Set<Long> returned = new HashSet<>();
        fetched.forEach(f -> returned.add(f.uid()));
        for (long u : asked) {
            if (!returned.contains(u)) {
                gone.add(u);
            }
        }
    }

    /** Parses a batch on the pool: messages in parallel, in order. */
    private CompletableFuture<BatchWriter.Parsed> parse(List<Fetched> batch, long uidValidity, int gone, List<Long> resolve) {
        List<CompletableFuture<Object>> parts = new ArrayList<>(batch.size());
        for (Fetched f : batch) {
            parts.add(CompletableFuture.supplyAsync(() -> parseOne(f, uidValidity), ctx.parsePool));
        }
        return CompletableFuture.allOf(parts.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<MessageDraft> ok = new ArrayList<>();
            List<QuarantineDraft> failed = new ArrayList<>();
            for (CompletableFuture<Object> p : parts) {
                Object o = p.join();
                if (o instanceof MessageDraft d) {
                    ok.add(d);
                } else if (o instanceof QuarantineDraft q) {
                    failed.add(q);
                }
            }
            return new BatchWriter.Parsed(ok, failed, batch.size() + gone, resolve);
        });
    }

    /** A draft, a quarantine entry, or a marker for "left out by the keep setting". */
    private Object parseOne(Fetched f, long uidValidity) {
        long start = System.nanoTime();
        try {
            return parseTimed(f, uidValidity);
        } finally {
            ctx.parseNanos.addAndGet(System.nanoTime() - start);
        }
    }

    private Object parseTimed(Fetched f, long uidValidity) {
        int max = ctx.parts.settings().quarantineAttempts();
        if (f.failure != null) {
            return new QuarantineDraft(name, uidValidity, f.uid(), f.failure, max);
        }
        MimeParser parser = ctx.parts.parser();
        try {
            ParsedMessage m = f.whole != null
                    ? parser.parse(new ByteArrayInputStream(f.whole))
                    : parser.assemble(parser.parseHeaders(f.header), f.structure, f.selection, f.texts);
            Optional<MessageDraft> d = drafts.build(m, f, sentFolder);
            return d.isPresent() ? d.get() : Boolean.FALSE;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            return new QuarantineDraft(name, uidValidity, f.uid(), "The message could not be parsed: " + e, max);
        } finally {
            f.texts.clear();
        }
    }

    // ------------------------------------------------------------------ flags and expunges

    /**
     * Flag changes and expunges of the stored messages. Whatever the path, the stored side is read a
     * page at a time ({@link #pages}) or only where the server reported a change, and written as it
     * is found: a resync holds at most a page of the folder (or {@link #changesKept} reported
     * changes), however large the folder.
     *
     * @param reported what EXAMINE with QRESYNC reported changed (taken as it came), null without QRESYNC
     * @param modSeq   the folder's HIGHESTMODSEQ from EXAMINE, null when it has no mod-sequences
     */
    private void changes(FolderRecord rec, MailboxInfo mi, ServerChanges reported, Long modSeq, long uidValidity, long uidNext)
            throws ImapException {
        Long storedModSeq = rec.highestModSeq();
        if (modSeq != null && storedModSeq != null && modSeq < storedModSeq) {
            // same UIDVALIDITY but the server's HIGHESTMODSEQ went back (index rebuilt, restored from a backup):
            // what changed since the stored value cannot be asked, so every stored message is compared again
            LOG.warn("Mailbox {}: HIGHESTMODSEQ of {} went back from {} to {} with the same UIDVALIDITY;"
                    + " reading the flags of every stored message again", ctx.mailboxId(), name, storedModSeq, modSeq);
            scan(rec, uidValidity, true);
            return;
        }
        boolean condstore = modSeq != null && storedModSeq != null;
        if (reported == null && condstore && modSeq.equals(storedModSeq) && rec.messagesOnServer() == mi.total
                && rec.uidNext() != null && rec.uidNext() == uidNext) {
            // nothing changed since the last run. Not when the number of messages or UIDNEXT changed: a server
            // with CONDSTORE only need not raise HIGHESTMODSEQ for an expunge (RFC 4551)
            return;
        }
        if (reported != null && modSeq != null) {
            // EXAMINE (QRESYNC ...) answered with VANISHED (EARLIER) and FETCH for what changed: only those
            // messages' locations are read (a resync of a large folder must not read the whole folder)
            if (!scannedInstead(reported, rec, uidValidity)) {
                writeChanged(rec, uidValidity, reported.changed());
                expungeVanished(rec, uidValidity, reported.vanished());
            }
        } else if (condstore) {
            // what changed is taken as it arrives; what is missing from the stored range was expunged
            long max = ctx.parts.folders().highestLocatedUid(rec.id());
            if (max == 0) {
                return;
            }
            ServerChanges changed = new ServerChanges(max, changesKept);
            imap.uidFetch("1:" + max, "UID FLAGS MODSEQ", "(CHANGEDSINCE " + storedModSeq + ")", changed);
            if (!scannedInstead(changed, rec, uidValidity)) {
                writeChanged(rec, uidValidity, changed.changed());
                // the UIDs on the server as a primitive array (8 bytes each, as a first sync's UID list)
                long[] present = imap.uidSearch("UID 1:" + max, 1, max, mi.total);
                expungeWhere(rec, uidValidity, 0, max, uid -> java.util.Arrays.binarySearch(present, uid) < 0);
            }
        } else {
            scan(rec, uidValidity, modSeq != null);
        }
    }

    /**
     * Whether the folder was compared page by page instead, because the server reported more
     * changes than are kept: every stored message's flags are read again (which finds the expunges
     * too).
     */
    private boolean scannedInstead(ServerChanges reported, FolderRecord rec, long uidValidity) throws ImapException {
        if (!reported.overflowed()) {
            return false;
        }
        LOG.info("Mailbox {}: the server reports more than {} changes in {}; reading the flags of every stored"
                + " message instead, {} at a time", ctx.mailboxId(), changesKept, name, page);
        scan(rec, uidValidity, true);
        return true;
    }

    /**
     * Without CONDSTORE (or when the stored HIGHESTMODSEQ cannot be trusted, or the changes were too
     * many to keep): every stored message's flags, a page at a time; what the server does not
     * return was expunged.
     *
     * @param modSeqs the folder has mod-sequences (MODSEQ may be asked)
     */
    private void scan(FolderRecord rec, long uidValidity, boolean modSeqs) throws ImapException {
        pages(rec.id(), 0, Long.MAX_VALUE, locations -> {
            Map<Long, LocationRecord> byUid = new HashMap<>();
            locations.forEach(l -> byUid.put(l.uid(), l));
            Map<Long, FlagUpdate> updates = new LinkedHashMap<>(); // by UID: a UID the server sends twice is one change
            Set<Long> present = new HashSet<>();
            // the server answers for every message of a UID range, stored or not: a range spans at most as many UIDs
            // as one answer may hold FLAGS responses (the page in one command, unless its UIDs are far apart or the
            // response limit is small)
            long span = imap.messagesPerAnswer(FLAGS_RESPONSE);
            for (int i = 0, j; i < locations.size(); i = j + 1) {
                long first = locations.get(i).uid();
                j = i;
                while (j + 1 < locations.size() && locations.get(j + 1).uid() - first < span) {
                    j++; // up to the last location within the span
                }
                String range = first + ":" + locations.get(j).uid();
                for (FetchResponse f : imap.uidFetch(range, modSeqs ? "UID FLAGS MODSEQ" : "UID FLAGS")) {
                    UID u = f.getItem(UID.class);
                    ServerChanges.Changed now = ServerChanges.Changed.of(f);
                    if (u != null) {
                        present.add(u.uid);
                        FlagUpdate update = now == null ? null : flagChange(u.uid, now, byUid);
                        if (update != null) {
                            updates.put(u.uid, update);
                        }
                    }
                }
            }
            List<Long> gone = locations.stream().map(LocationRecord::uid).filter(uid -> !present.contains(uid)).toList();
            writeChanges(rec, uidValidity, new ArrayList<>(updates.values()), gone);
        });
    }

    /** Writes the flags the server reported changed, where they differ from the stored ones. */
    private void writeChanged(FolderRecord rec, long uidValidity, Map<Long, ServerChanges.Changed> changed) {
        Map<Long, LocationRecord> byUid = new HashMap<>();
        ctx.parts.folders().locations(rec.id(), changed.keySet()).forEach(l -> byUid.put(l.uid(), l));
        List<FlagUpdate> updates = new ArrayList<>();
        changed.forEach((uid, c) -> {
            FlagUpdate update = flagChange(uid, c, byUid);
            if (update != null) {
                updates.add(update);
            }
        });
        writeChanges(rec, uidValidity, updates, List.of());
    }

    /** Removes the stored locations within VANISHED (EARLIER) ranges. */
    private void expungeVanished(FolderRecord rec, long uidValidity, List<long[]> reported) throws ImapException {
        if (reported.isEmpty()) {
            return;
        }
        List<long[]> vanished = UidSets.merged(reported);
        java.util.function.LongPredicate gone = uid -> UidSets.containsSorted(vanished, uid);
        if (vanished.size() <= VANISHED_RANGE_QUERIES) {
            for (long[] range : vanished) {
                expungeWhere(rec, uidValidity, range[0] - 1, range[1], gone);
            }
        } else {
            // a scattered VANISHED set: one pass over the folder's UIDs it spans beats a query per range
            expungeWhere(rec, uidValidity, vanished.get(0)[0] - 1, vanished.get(vanished.size() - 1)[1], gone);
        }
    }

    /** Removes the stored locations with a UID above {@code afterUid}, at most {@code throughUid}, and {@code gone}. */
    private void expungeWhere(FolderRecord rec, long uidValidity, long afterUid, long throughUid,
                              java.util.function.LongPredicate gone) throws ImapException {
        pages(rec.id(), afterUid, throughUid, locations -> writeChanges(rec, uidValidity, List.of(),
                locations.stream().map(LocationRecord::uid).filter(gone::test).toList()));
    }

    /** Work on one page of a folder's stored locations. */
    @FunctionalInterface
    private interface PageAction {
        void take(List<LocationRecord> locations) throws ImapException;
    }

    /**
     * The folder's stored locations with a UID above {@code afterUid} and at most {@code throughUid},
     * {@link #page} at a time, by UID. A page's work may remove its locations: the next page starts
     * after the last UID of this one.
     */
    private void pages(long folderId, long afterUid, long throughUid, PageAction action) throws ImapException {
        long after = afterUid;
        while (true) {
            ctx.checkAlive();
            List<LocationRecord> locations = ctx.parts.folders().locations(folderId, after, throughUid, page);
            if (locations.isEmpty()) {
                return;
            }
            action.take(locations);
            if (locations.size() < page) {
                return;
            }
            after = locations.get(locations.size() - 1).uid();
        }
    }

    private void writeChanges(FolderRecord rec, long uidValidity, List<FlagUpdate> updates, List<Long> gone) {
        if (updates.isEmpty() && gone.isEmpty()) {
            return;
        }
        LOG.debug("Mailbox {}: {} flag changes and {} expunged in {}", ctx.mailboxId(), updates.size(), gone.size(), name);
        for (int i = 0; i < Math.max(updates.size(), gone.size()); i += page) {
            ctx.checkAlive();
            writer.writeNow(new MessageBatch(ctx.lease, ctx.runId, rec.id(), uidValidity,
                    List.of(), updates.subList(Math.min(i, updates.size()), Math.min(i + page, updates.size())),
                    gone.subList(Math.min(i, gone.size()), Math.min(i + page, gone.size())), List.of(), List.of(), null),
                    name);
        }
    }

    /** The update of a stored message whose flags the server now reports differently; null when none. */
    private static FlagUpdate flagChange(long uid, ServerChanges.Changed now, Map<Long, LocationRecord> byUid) {
        LocationRecord known = byUid.get(uid);
        if (known == null || now.flags().equals(known.flags())) {
            return null; // not stored (older than the period, left out by the keep setting, quarantined), or unchanged
        }
        return new FlagUpdate(uid, now.flags(), now.modSeq() != null ? now.modSeq() : known.modSeq());
    }

    // ------------------------------------------------------------------ UIDVALIDITY

    /**
     * The folder's UIDs are void: read every message's Message-ID (and, without one, its header
     * fingerprint) and match the stored records again, {@link #REMAP_CHUNK} messages at a time (a
     * transaction each: the folder's entries are never held at once; fewer when one command's answer
     * could hold no more on this connection: {@link Imap#messagesPerAnswer}). Unmatched messages are new:
     * the first-sync path downloads those within the period. The new UIDVALIDITY is written last: a
     * run that stops on the way starts over at the next run.
     */
    private FolderRecord remap(FolderRecord rec, long uidValidity, long uidNext, Long modSeq, long total, Instant now)
            throws ImapException {
        LOG.info("Mailbox {}: UIDVALIDITY of {} changed from {} to {}; matching its messages again by Message-ID",
                ctx.mailboxId(), name, rec.uidValidity(), uidValidity);
        long[] all = imap.uidSearch("ALL", 1, uidNext - 1, total); // 8 bytes a message
        int removed = ctx.parts.messages().remapBegin(ctx.lease, rec.id(), uidValidity);
        long matched = 0;
        MimeParser parser = ctx.parts.parser();
        String modseqItem = modSeq != null ? " MODSEQ" : "";
        // each command's answer within its bound: fewer messages a command when the response limit is small
        int chunkSize = (int) Math.min(REMAP_CHUNK, imap.messagesPerAnswer(MESSAGE_ID_RESPONSE));
        int headersAtOnce = (int) Math.min(REMAP_CHUNK, imap.messagesPerAnswer(fetcher.headerResponse()));
        for (int i = 0; i < all.length; i += chunkSize) {
            ctx.checkAlive();
            List<Long> chunk = new ArrayList<>();
            for (int j = i; j < Math.min(all.length, i + chunkSize); j++) {
                chunk.add(all[j]);
            }
            Map<Long, RemapEntry> byUid = new HashMap<>();
            List<Long> withoutId = new ArrayList<>();
            // the header fetch below capped as the metadata fetch: a fingerprint is over the same first bytes as when stored
            for (FetchResponse f : imap.uidFetch(UidSets.of(chunk), "UID FLAGS " + fetcher.messageIdItem() + modseqItem)) {
                UID u = f.getItem(UID.class);
                if (u == null) {
                    continue;
                }
                String messageId = null;
                org.eclipse.angus.mail.imap.protocol.BODY body = f.getItem(org.eclipse.angus.mail.imap.protocol.BODY.class);
                if (body != null && body.getByteArray() != null) {
                    messageId = parser.parseHeaders(body.getByteArray().getNewBytes()).messageId();
                }
                MODSEQ m = f.getItem(MODSEQ.class);
                RemapEntry e = new RemapEntry(u.uid, messageId, null, Imap.flags(f.getItem(FLAGS.class)),
                        m != null && m.modseq > 0 ? m.modseq : null);
                byUid.put(u.uid, e);
                if (messageId == null) {
                    withoutId.add(u.uid);
                }
            }
            for (int k = 0; k < withoutId.size(); k += headersAtOnce) {
                List<Long> some = withoutId.subList(k, Math.min(withoutId.size(), k + headersAtOnce));
                for (FetchResponse f : imap.uidFetch(UidSets.of(some), "UID " + fetcher.headerItem())) {
                    UID u = f.getItem(UID.class);
                    org.eclipse.angus.mail.imap.protocol.BODY body = f.getItem(org.eclipse.angus.mail.imap.protocol.BODY.class);
                    RemapEntry e = u == null ? null : byUid.get(u.uid);
                    if (e != null && body != null && body.getByteArray() != null) {
                        String fp = parser.parseHeaders(body.getByteArray().getNewBytes()).fingerprint();
                        byUid.put(u.uid, new RemapEntry(e.uid(), null, fp, e.flags(), e.modSeq()));
                    }
                }
            }
            matched += ctx.parts.messages().remapChunk(ctx.lease, rec.id(), uidValidity, new ArrayList<>(byUid.values()));
        }
        ctx.parts.folders().saveCheckpoint(ctx.lease, rec.id(),
                new FolderCheckpoint(uidValidity, uidNext, null, null, modSeq, total, null, now));
        LOG.info("Mailbox {}: {} of {} messages of {} matched stored records; {} old locations gone", ctx.mailboxId(),
                matched, all.length, name, Math.max(0, removed - matched));
        return ctx.parts.folders().find(rec.id()).orElseThrow();
    }

}
