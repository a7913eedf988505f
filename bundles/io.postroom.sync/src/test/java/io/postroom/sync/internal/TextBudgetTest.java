package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.mime.BodyPart;
import io.postroom.mime.MimeParser;
import io.postroom.mime.ParseOptions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The text budget of a batch: {@code batchKilobytes}, capped at half of what one IMAP answer may
 * hold, with what the connection counts per message; the first message of a batch always taken.
 */
class TextBudgetTest {
    private static final long MIB = 1 << 20;
    private final MimeParser parser = MimeParser.create(ParseOptions.defaults());
    private long uids;

    private static BodyPart text(String number, String subtype, long size) {
        return new BodyPart(number, "text", subtype, Map.of("charset", "us-ascii"), null, null, "7bit", null, null, null,
                size, size / 80, List.of(), null);
    }

    private Fetched with(BodyPart structure) {
        Fetched f = new Fetched(++uids);
        f.structure = structure;
        f.selection = parser.selectText(structure);
        return f;
    }

    private Fetched plain(long size) {
        return with(text("1", "plain", size));
    }

    private Fetched alternative(long plain, long html) {
        return with(new BodyPart("", "multipart", "alternative", Map.of("boundary", "b"), null, null, null, null, null, null,
                -1, -1, List.of(text("1", "plain", plain), text("2", "html", html)), null));
    }

    /** How many of {@code messages} one batch takes, filled as the sync fills it. */
    private static int batchOf(TextBudget budget, List<Fetched> messages) {
        TextBudget.Tally tally = budget.tally();
        int taken = 0;
        for (Fetched f : messages) {
            if (!tally.take(f)) {
                break;
            }
            taken++;
        }
        return taken;
    }

    @Test
    void aMessageCostsItsTextItsResponseAndForFurtherPartsTheGrowthOfAngusBuffer() {
        assertThat(TextBudget.cost(plain(100_000))).isEqualTo(100_000 + TextBudget.RESPONSE_COST);
        // the line goes on after the plain part's literal: Angus's buffer may grow by up to the text read, 256 KiB at most
        assertThat(TextBudget.cost(alternative(30_000, 30_000))).isEqualTo(60_000 + TextBudget.RESPONSE_COST + 60_000);
        assertThat(TextBudget.cost(alternative(900_000, 1_000)))
                .isEqualTo(901_000 + TextBudget.RESPONSE_COST + TextBudget.GROWTH_STEP);
        Fetched noText = with(new BodyPart("1", "image", "png", Map.of(), "attachment", Map.of(), "base64", null, null, null,
                50_000, -1, List.of(), null));
        assertThat(noText.selection.parts()).isEmpty();
        assertThat(TextBudget.cost(noText)).as("no text command, no response").isZero();
    }

    @Test
    void aBatchStaysWithinHalfOfWhatOneAnswerMayHoldWhateverBatchKilobytesSays() {
        // maxResponseMegabytes 1: one answer may hold 4 MiB; batchKilobytes at its default of 8 MiB
        TextBudget budget = new TextBudget(7, 8 * MIB, MIB, 4 * MIB);
        assertThat(budget.caps()).isTrue();
        assertThat(budget.answerBytes()).isEqualTo(2 * MIB);
        assertThat(budget.effectiveBytes()).isEqualTo(2 * MIB);
        List<Fetched> messages = java.util.stream.Stream.generate(() -> plain(500_000)).limit(40).toList();

        // 4 x (500,000 + 1,024) = 2,004,096 fits in 2 MiB; a fifth does not, though 8 MiB of text would
        assertThat(batchOf(budget, messages)).isEqualTo(4);
        assertThat(budget.capped()).isTrue();
    }

    @Test
    void batchKilobytesStillBoundsABatchBelowTheCapAndThatIsNoCap() {
        TextBudget budget = new TextBudget(7, 1 * MIB, 64 * MIB, 256 * MIB);
        assertThat(budget.caps()).isFalse();
        assertThat(budget.effectiveBytes()).isEqualTo(1 * MIB);
        List<Fetched> messages = java.util.stream.Stream.generate(() -> plain(300_000)).limit(10).toList();

        assertThat(batchOf(budget, messages)).as("as before: text bytes against batchKilobytes").isEqualTo(3);
        assertThat(budget.capped()).as("nothing to log").isFalse();
        TextBudget unbounded = TextBudget.unbounded(7, 1 * MIB);
        assertThat(batchOf(unbounded, messages)).isEqualTo(3);
        assertThat(unbounded.capped()).isFalse();
    }

    @Test
    void theFirstMessageOfABatchIsAlwaysTakenHoweverLarge() {
        // the smallest response limit, 64 KiB: one answer may hold 256 KiB, a batch 128 KiB
        TextBudget budget = new TextBudget(7, 8 * MIB, 64 * 1024, 256 * 1024);
        List<Fetched> messages = List.of(plain(1_000_000), plain(10), plain(10));

        assertThat(batchOf(budget, messages)).as("alone, as a message larger than batchKilobytes").isEqualTo(1);
        assertThat(batchOf(budget, messages.subList(1, 3))).isEqualTo(2);
    }

    private Fetched mixed(long... sizes) {
        BodyPart[] parts = new BodyPart[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            parts[i] = text(Integer.toString(i + 1), "plain", sizes[i]);
        }
        return with(new BodyPart("", "multipart", "mixed", Map.of("boundary", "b"), null, null, null, null, null, null,
                -1, -1, List.of(parts), null));
    }

    @Test
    void oneResponseHoldsTheTextOfItsPartsLessTheFramingAndForSeveralPartsTheGrowthOfAngusBuffer() {
        long framing1 = TextBudget.RESPONSE_FRAMING + TextBudget.PART_FRAMING;
        assertThat(TextBudget.textWithin(MIB, 1)).isEqualTo(MIB - framing1);
        // past 512 KiB the buffer grows by 256 KiB at most when the line goes on after a literal
        assertThat(TextBudget.textWithin(MIB, 2)).isEqualTo(MIB - TextBudget.GROWTH_STEP - TextBudget.RESPONSE_FRAMING
                - 2 * TextBudget.PART_FRAMING);
        assertThat(TextBudget.textWithin(MIB, 4)).isEqualTo(768 * 1024 - TextBudget.RESPONSE_FRAMING
                - 4 * TextBudget.PART_FRAMING);
        // below, it may double
        assertThat(TextBudget.textWithin(256 * 1024, 2)).isEqualTo(128 * 1024 - TextBudget.RESPONSE_FRAMING
                - 2 * TextBudget.PART_FRAMING);
        assertThat(TextBudget.textWithin(64 * 1024, 200)).as("not even the framing").isZero();
        // the default limit holds a message's whole text (4 MiB at most) in any number of parts
        assertThat(TextBudget.textWithin(64 * MIB, 1000)).isGreaterThan(4 * MIB);
    }

    @Test
    void aMessageWhoseTextWouldNotFitOneResponseAsksForLessAndIsFlagged() {
        TextBudget budget = new TextBudget(7, 8 * MIB, MIB, 4 * MIB);
        Fetched four = mixed(1_000_000, 1_000_000, 1_000_000, 1_000_000);
        Fetched alternative = alternative(900_000, 900_000);
        Fetched small = alternative(30_000, 30_000);

        var fourWithin = budget.fit(four.selection);
        var alternativeWithin = budget.fit(alternative.selection);

        long per4 = TextBudget.textWithin(MIB, 4) / 4;
        assertThat(fourWithin.parts()).extracting(io.postroom.mime.TextPart::fetchItem).containsExactly(
                "BODY.PEEK[1]<0." + per4 + ">", "BODY.PEEK[2]<0." + per4 + ">", "BODY.PEEK[3]<0." + per4 + ">",
                "BODY.PEEK[4]<0." + per4 + ">");
        assertThat(fourWithin.problems()).contains(io.postroom.mime.ParseProblem.TRUNCATED_TEXT);
        assertThat(alternativeWithin.fetchBytes()).isLessThanOrEqualTo(TextBudget.textWithin(MIB, 2))
                .isGreaterThan(TextBudget.textWithin(MIB, 2) - 2);
        assertThat(alternativeWithin.problems()).contains(io.postroom.mime.ParseProblem.TRUNCATED_TEXT);
        assertThat(budget.fit(small.selection)).as("it fits: as it is").isSameAs(small.selection);
        assertThat(budget.cut()).isTrue();
        // a cut message alone stays within a batch's half of the answer, so its text command never fails
        four.selection = fourWithin;
        assertThat(TextBudget.cost(four)).isLessThanOrEqualTo(budget.answerBytes());
        assertThat(Fetcher.wholeMessageLimit(50 * MIB, budget.wholeMessageBytes())).as("a whole message too")
                .isEqualTo(TextBudget.textWithin(MIB, 1));

        TextBudget defaults = new TextBudget(7, 8 * MIB, 64 * MIB, 256 * MIB);
        assertThat(defaults.fit(four.selection)).isSameAs(four.selection);
        assertThat(defaults.fit(mixed(1_000_000, 1_000_000, 1_000_000, 1_000_000).selection).fetchBytes())
                .as("nothing cut at the default limit").isEqualTo(4_000_000);
        assertThat(defaults.cut()).isFalse();
    }

    @Test
    void aMessageWithMoreTextPartsThanOneResponseCanFrameCannotBeFetched() {
        TextBudget budget = new TextBudget(7, 8 * MIB, 64 * 1024, 256 * 1024);
        long[] sizes = new long[200];
        java.util.Arrays.fill(sizes, 10);
        assertThat(budget.fit(mixed(sizes).selection)).isNull();
    }
}
