package io.postroom.testing.mail;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Deterministic generator of realistic mail: message {@code i} of a generator depends only on
 * the seed, the options and {@code i}, so any message can be made on its own, in any order, and
 * again later (for comparing what a sync stored with what the server holds).
 *
 * <p>What comes out: RFC 5322 messages with CRLF line ends, streamed ({@link GeneratedMail#writeTo});
 * text/plain, multipart/alternative (text + HTML, sometimes multipart/related with an inline
 * image), multipart/mixed with 1-3 attachments (pdf/png/jpg/zip/docx-like random bytes in base64,
 * forwarded messages as message/rfc822); sizes per {@link SizeProfile}; text in several languages
 * and charsets (us-ascii, UTF-8, ISO-8859-1/15, windows-1252, KOI8-U, windows-1251, ISO-2022-JP,
 * Shift_JIS, GBK, ISO-8859-7) in 7bit, 8bit, quoted-printable or base64; RFC 2047 encoded words
 * (B and Q) in several charsets in Subject and display names, a few raw UTF-8 headers (RFC 6532),
 * RFC 2231 file names; threads (In-Reply-To, References, "Re:"/"AW:"); newsletters (List-Id,
 * List-Unsubscribe, Precedence: bulk) and auto-replies (Auto-Submitted); dates spread over the
 * date range in index order (message 0 oldest) so that a sync period cuts off a prefix of UIDs;
 * and, a few per thousand, no Message-ID or no Date (see {@link Builder#noMessageIdPerMille}).
 * Every Message-ID is unique (it holds the seed and the index).
 *
 * <pre>{@code
 * MailGenerator generator = MailGenerator.builder().seed(42).count(10_000).lastDays(60).build();
 * dovecot.bulkLoad(user, "INBOX", generator.messages());
 * Set<String> expected = generator.messageIds();
 * }</pre>
 */
public final class MailGenerator {

    static final int CORRESPONDENTS = 120;
    private static final String[] ZONES = {"+0000", "+0100", "+0200", "+0300", "-0500", "-0800", "+0900", "+0530", "-0300"};

    private final long seed;
    private final int count;
    private final Instant from;
    private final Instant to;
    private final SizeProfile sizes;
    private final Person owner;
    private final boolean outgoing;
    private final int noMessageIdPerMille;
    private final int noDatePerMille;

    private MailGenerator(Builder builder) {
        this.seed = builder.seed;
        this.count = builder.count;
        this.to = builder.to != null ? builder.to : Instant.now().truncatedTo(ChronoUnit.DAYS);
        this.from = builder.from != null ? builder.from : this.to.minus(Duration.ofDays(builder.days));
        this.sizes = builder.sizes;
        this.owner = builder.owner;
        this.outgoing = builder.outgoing;
        this.noMessageIdPerMille = builder.noMessageIdPerMille;
        this.noDatePerMille = builder.noDatePerMille;
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("date range is empty: " + from + " .. " + to);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code count} messages of the default options with that seed. */
    public static MailGenerator of(long seed, int count) {
        return builder().seed(seed).count(count).build();
    }

    /** Options; all have defaults. */
    public static final class Builder {
        private long seed = 1;
        private int count = 1000;
        private Instant from;
        private Instant to;
        private int days = 60;
        private SizeProfile sizes = SizeProfile.REALISTIC;
        private Person owner = new Person("Anna Koval", "anna@postroom.test");
        private boolean outgoing;
        private int noMessageIdPerMille = 3;
        private int noDatePerMille = 2;

        private Builder() {
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** How many messages {@link #messages()} holds (default 1000). */
        public Builder count(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("count must not be negative: " + count);
            }
            this.count = count;
            return this;
        }

        /** Dates from {@code from} to {@code to}, message 0 oldest. Fixed instants give byte-identical output on any day. */
        public Builder dateRange(Instant from, Instant to) {
            this.from = Objects.requireNonNull(from, "from");
            this.to = Objects.requireNonNull(to, "to");
            return this;
        }

        /**
         * Dates over the last {@code days} days up to today 00:00 UTC (default 60, so that part
         * is older than a 14- or 30-day sync period). The output then changes once a day.
         */
        public Builder lastDays(int days) {
            if (days < 1) {
                throw new IllegalArgumentException("days must be at least 1: " + days);
            }
            this.days = days;
            this.from = null;
            this.to = null;
            return this;
        }

        public Builder sizes(SizeProfile sizes) {
            this.sizes = Objects.requireNonNull(sizes, "sizes");
            return this;
        }

        /** The mailbox owner: recipient of incoming mail, sender of outgoing (default Anna Koval &lt;anna@postroom.test&gt;). */
        public Builder owner(String name, String address) {
            this.owner = new Person(name, Objects.requireNonNull(address, "address"));
            return this;
        }

        /** Mail sent by the owner (for a Sent folder) instead of mail received. */
        public Builder outgoing(boolean outgoing) {
            this.outgoing = outgoing;
            return this;
        }

        /** Messages per thousand without a Message-ID header (default 3). */
        public Builder noMessageIdPerMille(int perMille) {
            this.noMessageIdPerMille = perMille(perMille);
            return this;
        }

        /** Messages per thousand without a Date header (default 2). */
        public Builder noDatePerMille(int perMille) {
            this.noDatePerMille = perMille(perMille);
            return this;
        }

        public MailGenerator build() {
            return new MailGenerator(this);
        }

        private static int perMille(int value) {
            if (value < 0 || value > 1000) {
                throw new IllegalArgumentException("per mille must be 0..1000: " + value);
            }
            return value;
        }
    }

    public long seed() {
        return seed;
    }

    public int count() {
        return count;
    }

    public SizeProfile sizes() {
        return sizes;
    }

    public Person owner() {
        return owner;
    }

    /** Message {@code index} (0 ≤ index &lt; count). Cheap: the body is made only when written. */
    public GeneratedMail message(int index) {
        Objects.checkIndex(index, count);
        return new GeneratedMail(this, plan(index));
    }

    /** All messages, as a lazy list (each element made on access). */
    public List<GeneratedMail> messages() {
        return new AbstractList<>() {
            @Override
            public GeneratedMail get(int index) {
                return message(index);
            }

            @Override
            public int size() {
                return count;
            }
        };
    }

    /** The Message-IDs of all messages that have one, in index order (no bodies are made). */
    public Set<String> messageIds() {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < count; i++) {
            if (base(i).hasMessageId) {
                ids.add(messageId(i, base(i)));
            }
        }
        return ids;
    }

    // ------------------------------------------------------------------ plans

    /** The cheap, non-recursive facts of message i (what other messages' threads refer to). */
    static final class Base {
        Language language;
        Person correspondent;
        boolean hasMessageId;
        boolean hasDate;
        int parent;
        boolean forward;
        String topic;
        Instant date;
        String zone;
        int category; // 0 normal, 1 newsletter, 2 auto-reply
        long idHash;
    }

    Base base(int index) {
        SplittableRandom random = random(index, 0);
        Base base = new Base();
        base.language = Language.pick(random);
        base.correspondent = Person.correspondent(random.nextInt(CORRESPONDENTS));
        base.hasMessageId = random.nextInt(1000) >= noMessageIdPerMille;
        base.hasDate = random.nextInt(1000) >= noDatePerMille;
        base.parent = index > 0 && random.nextInt(100) < 30 ? index - 1 - random.nextInt(Math.min(index, 40)) : -1;
        base.forward = base.parent < 0 && random.nextInt(100) < 3;
        base.topic = capitalize(base.language.words(random, 2 + random.nextInt(5)));
        long span = Duration.between(from, to).getSeconds();
        double position = count == 0 ? 0 : (index + random.nextDouble()) / count;
        base.date = from.plusSeconds((long) (span * position));
        base.zone = ZONES[random.nextInt(ZONES.length)];
        int roll = random.nextInt(100);
        base.category = roll < 8 ? 1 : roll < 9 ? 2 : 0;
        base.idHash = random.nextLong();
        return base;
    }

    String messageId(int index, Base base) {
        String domain = base.correspondent.address().substring(base.correspondent.address().indexOf('@') + 1);
        if (outgoing) {
            domain = owner.address().substring(owner.address().indexOf('@') + 1);
        }
        return "<" + Long.toHexString(base.idHash >>> 16) + "." + index + "." + Long.toString(seed, 36)
                + "@" + domain + ">";
    }

    /** Everything about message i except its body bytes. */
    GeneratedMail.Plan plan(int index) {
        Base base = base(index);
        SplittableRandom random = random(index, 1);
        GeneratedMail.Plan plan = new GeneratedMail.Plan();
        plan.index = index;
        plan.bodySeed = mix(seed, index, 2);
        plan.language = base.language;
        plan.messageId = base.hasMessageId ? messageId(index, base) : null;
        plan.date = base.date;
        plan.hasDate = base.hasDate;
        plan.zone = base.zone;
        plan.receivedAt = base.date.plusSeconds(1 + random.nextInt(300));
        plan.category = outgoing ? 0 : base.category;

        // thread
        List<String> references = new ArrayList<>();
        String subject = base.topic;
        if (base.parent >= 0 && base(base.parent).hasMessageId) {
            int rootIndex = base.parent;
            for (int p = base.parent, depth = 0; p >= 0 && depth < 10; depth++) {
                Base ancestor = base(p);
                if (!ancestor.hasMessageId) {
                    break;
                }
                references.add(messageId(p, ancestor));
                rootIndex = p;
                p = ancestor.parent;
            }
            Collections.reverse(references);
            plan.inReplyTo = references.get(references.size() - 1);
            Base root = base(rootIndex);
            subject = base.language.replyPrefix(random) + root.topic;
            plan.parentCorrespondent = root.correspondent;
        } else if (base.forward) {
            subject = (random.nextBoolean() ? "Fwd: " : "FW: ") + base.topic;
        }
        if (plan.category == 1) {
            subject = "Newsletter: " + base.topic;
        } else if (plan.category == 2) {
            subject = "Automatic reply: " + base.topic;
        }
        plan.references = references;
        plan.subject = subject;

        // people
        Person correspondent = plan.parentCorrespondent != null && random.nextInt(10) < 7
                ? plan.parentCorrespondent : base.correspondent;
        if (plan.category == 1) {
            String domain = correspondent.address().substring(correspondent.address().indexOf('@') + 1);
            correspondent = new Person("News from " + domain, "news@lists." + domain);
        }
        plan.from = outgoing ? owner : correspondent;
        plan.to = new ArrayList<>(List.of(outgoing ? correspondent : owner));
        plan.cc = new ArrayList<>();
        if (random.nextInt(100) < 20) {
            int extra = 1 + random.nextInt(3);
            for (int i = 0; i < extra; i++) {
                plan.cc.add(Person.correspondent(random.nextInt(CORRESPONDENTS)));
            }
        }
        if (random.nextInt(100) < 5) {
            // a few messages to many people at once
            for (int i = 0; i < 8; i++) {
                plan.to.add(Person.correspondent(random.nextInt(CORRESPONDENTS)));
            }
        }

        // header encoding
        plan.headerCharset = pickHeaderCharset(random, base.language, plan.subject, plan.from, plan.to, plan.cc);
        plan.headerBase64 = random.nextBoolean();
        plan.rawUtf8Headers = random.nextInt(100) < 3;

        // structure and sizes
        int roll = random.nextInt(100);
        plan.kind = plan.category == 1 ? GeneratedMail.Kind.ALTERNATIVE
                : roll < 45 ? GeneratedMail.Kind.PLAIN : roll < 78 ? GeneratedMail.Kind.ALTERNATIVE : GeneratedMail.Kind.MIXED;
        plan.textLength = logUniform(random, sizes.minText, sizes.maxText);
        plan.bodyCharset = base.language.pickCharset(random);
        plan.bodyEncoding = pickEncoding(random, plan.bodyCharset);
        plan.htmlInMixed = random.nextBoolean();
        plan.inlineImage = plan.kind == GeneratedMail.Kind.ALTERNATIVE && random.nextInt(100) < 10
                ? logUniform(random, Math.max(500, sizes.minAttachment), Math.max(1000, sizes.maxAttachment / 5)) : 0;
        plan.attachments = new ArrayList<>();
        if (plan.kind == GeneratedMail.Kind.MIXED) {
            int attachments = random.nextInt(100);
            attachments = attachments < 60 ? 1 : attachments < 88 ? 2 : 3;
            for (int i = 0; i < attachments; i++) {
                boolean large = sizes.largePercent > 0 && random.nextInt(100) < sizes.largePercent;
                int size = large ? logUniform(random, sizes.minLarge, sizes.maxLarge)
                        : logUniform(random, sizes.minAttachment, sizes.maxAttachment);
                plan.attachments.add(GeneratedMail.Attachment.pick(random, size, base.language));
            }
        }

        // flags
        Set<String> flags = new LinkedHashSet<>();
        if (outgoing || random.nextInt(100) < 85) {
            flags.add("\\Seen");
            if (!outgoing && random.nextInt(100) < 12) {
                flags.add("\\Answered");
            }
        }
        if (random.nextInt(100) < 4) {
            flags.add("\\Flagged");
        }
        plan.flags = Set.copyOf(flags);
        return plan;
    }

    private static java.nio.charset.Charset pickHeaderCharset(SplittableRandom random, Language language, String subject,
                                                              Person from, List<Person> to, List<Person> cc) {
        java.nio.charset.Charset charset = language.pickCharset(random);
        if (charset.name().equals("US-ASCII")) {
            charset = java.nio.charset.StandardCharsets.UTF_8;
        }
        StringBuilder all = new StringBuilder(subject);
        for (Person person : concat(from, to, cc)) {
            if (person.name() != null) {
                all.append(person.name());
            }
        }
        return MimeText.canEncode(charset, all.toString()) ? charset : java.nio.charset.StandardCharsets.UTF_8;
    }

    private static List<Person> concat(Person from, List<Person> to, List<Person> cc) {
        List<Person> all = new ArrayList<>(to);
        all.addAll(cc);
        all.add(from);
        return all;
    }

    private static String pickEncoding(SplittableRandom random, java.nio.charset.Charset charset) {
        String name = charset.name();
        if (name.equals("US-ASCII") || name.equals("ISO-2022-JP")) {
            return random.nextInt(4) == 0 ? "quoted-printable" : "7bit";
        }
        int roll = random.nextInt(100);
        return roll < 55 ? "quoted-printable" : roll < 85 ? "base64" : "8bit";
    }

    private static String capitalize(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    static int logUniform(SplittableRandom random, int min, int max) {
        if (max <= min) {
            return min;
        }
        double value = Math.exp(Math.log(min) + random.nextDouble() * (Math.log(max) - Math.log(min)));
        return (int) Math.round(value);
    }

    SplittableRandom random(int index, int stream) {
        return new SplittableRandom(mix(seed, index, stream));
    }

    static long mix(long seed, long index, long stream) {
        long h = seed * 0x9E3779B97F4A7C15L + index * 0xC2B2AE3D27D4EB4FL + stream * 0x165667B19E3779F9L;
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }
}
