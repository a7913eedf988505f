package io.postroom.testing.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.junit.jupiter.api.Test;

import jakarta.mail.BodyPart;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

class MailGeneratorTest {

    private static final Instant FROM = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2024-03-01T00:00:00Z");
    private static final Session SESSION = Session.getInstance(new Properties());

    private static MailGenerator generator(long seed, int count) {
        return MailGenerator.builder().seed(seed).count(count).dateRange(FROM, TO).build();
    }

    @Test
    void sameSeedGivesSameBytesAndOtherSeedOtherMessages() throws Exception {
        MailGenerator one = generator(42, 200);
        MailGenerator two = generator(42, 200);
        MailGenerator other = generator(43, 200);
        for (int i = 0; i < 200; i += 7) {
            assertThat(digest(two.message(i))).as("message %d", i).isEqualTo(digest(one.message(i)));
        }
        // any message can be made alone, in any order
        assertThat(digest(generator(42, 200).message(150))).isEqualTo(digest(one.message(150)));
        assertThat(digest(other.message(3))).isNotEqualTo(digest(one.message(3)));
        assertThat(one.messageIds()).doesNotContainAnyElementsOf(other.messageIds());
    }

    @Test
    void everyMessageParsesWithAngusAndItsFactsMatchItsHeaders() throws Exception {
        MailGenerator generator = MailGenerator.builder().seed(7).count(400).dateRange(FROM, TO).sizes(SizeProfile.SMALL).build();
        int withoutId = 0;
        int withoutDate = 0;
        int replies = 0;
        Set<String> kinds = new HashSet<>();
        Set<String> charsets = new HashSet<>();
        int encodedWordHeaders = 0;
        for (GeneratedMail mail : generator.messages()) {
            MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(mail.toByteArray()));
            walk(message, charsets);
            kinds.add(mail.kind().name());
            assertThat(message.getMessageID()).isEqualTo(mail.messageId());
            if (mail.messageId() == null) {
                withoutId++;
            }
            if (mail.date() == null) {
                withoutDate++;
                assertThat(message.getSentDate()).isNull();
            } else {
                assertThat(message.getSentDate().toInstant()).isEqualTo(mail.date().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
            }
            String rawSubject = message.getHeader("Subject", null);
            if (rawSubject.contains("=?")) {
                encodedWordHeaders++;
                assertThat(MimeUtility.decodeText(MimeUtility.unfold(rawSubject))).isEqualTo(mail.subject());
            }
            if (mail.inReplyTo() != null) {
                replies++;
                assertThat(message.getHeader("In-Reply-To", null)).isEqualTo(mail.inReplyTo());
                assertThat(mail.references()).endsWith(mail.inReplyTo());
                assertThat(generator.messageIds()).contains(mail.inReplyTo());
            }
        }
        // the realistic profile's big attachments, inline images and forwarded messages parse too
        for (GeneratedMail mail : generator(8, 150).messages()) {
            walk(new MimeMessage(SESSION, new ByteArrayInputStream(mail.toByteArray())), charsets);
        }
        assertThat(kinds).containsExactlyInAnyOrder("PLAIN", "ALTERNATIVE", "MIXED");
        assertThat(charsets).contains("utf-8", "iso-8859-1", "koi8-u", "iso-2022-jp");
        assertThat(encodedWordHeaders).isGreaterThan(20);
        assertThat(replies).isGreaterThan(50);
        assertThat(withoutId + withoutDate).isLessThan(20);
    }

    @Test
    void messageIdsAreUniqueAndAFewPerThousandAreMissing() {
        MailGenerator generator = MailGenerator.builder().seed(3).count(5000).dateRange(FROM, TO)
                .noMessageIdPerMille(3).noDatePerMille(2).build();
        List<String> ids = new ArrayList<>();
        int missingDate = 0;
        for (GeneratedMail mail : generator.messages()) {
            if (mail.messageId() != null) {
                ids.add(mail.messageId());
            }
            if (mail.date() == null) {
                missingDate++;
            }
        }
        assertThat(new HashSet<>(ids)).hasSameSizeAs(ids);
        assertThat(generator.messageIds()).containsExactlyElementsOf(ids);
        assertThat(5000 - ids.size()).isBetween(3, 40);
        assertThat(missingDate).isBetween(2, 30);
    }

    @Test
    void datesRiseWithTheIndexWithinTheRange() {
        MailGenerator generator = MailGenerator.builder().seed(5).count(1000).lastDays(60).build();
        Instant previous = Instant.EPOCH;
        int olderThan14Days = 0;
        Instant fourteenDaysAgo = Instant.now().minusSeconds(14 * 86_400);
        for (GeneratedMail mail : generator.messages()) {
            assertThat(mail.receivedAt()).isAfterOrEqualTo(previous.minusSeconds(86_400));
            previous = mail.receivedAt();
            if (mail.receivedAt().isBefore(fourteenDaysAgo)) {
                olderThan14Days++;
            }
        }
        assertThat(olderThan14Days).isBetween(600, 850);
        assertThat(generator.message(0).receivedAt()).isBefore(generator.message(999).receivedAt());
    }

    @Test
    void realisticSizesAreMostlySmallWithATailOfLargeOnes() throws Exception {
        MailGenerator generator = generator(11, 1000);
        long[] sizes = new long[1000];
        long total = 0;
        for (int i = 0; i < 1000; i++) {
            sizes[i] = size(generator.message(i));
            total += sizes[i];
        }
        Arrays.sort(sizes);
        System.out.printf("REALISTIC sizes of 1,000: min %,d, median %,d, p90 %,d, p99 %,d, max %,d bytes, mean %,d%n",
                sizes[0], sizes[500], sizes[900], sizes[990], sizes[999], total / 1000);
        assertThat(sizes[0]).isGreaterThanOrEqualTo(2_000);
        assertThat(sizes[500]).isBetween(2_000L, 40_000L);
        assertThat(sizes[999]).isBetween(700_000L, 6_000_000L);
        long large = Arrays.stream(sizes).filter(size -> size > 500_000).count();
        assertThat(large).isBetween(3L, 60L);
        assertThat(total / 1000).isBetween(30_000L, 200_000L);
    }

    @Test
    void smallProfileStaysSmall() throws Exception {
        MailGenerator generator = MailGenerator.builder().seed(11).count(300).dateRange(FROM, TO).sizes(SizeProfile.SMALL).build();
        for (GeneratedMail mail : generator.messages()) {
            assertThat(size(mail)).isBetween(800L, 60_000L);
        }
    }

    @Test
    void attachmentsCarryTheirNamesAndTypes() throws Exception {
        MailGenerator generator = generator(21, 300);
        Set<String> types = new HashSet<>();
        Set<String> fileNames = new HashSet<>();
        for (GeneratedMail mail : generator.messages()) {
            if (mail.kind() != GeneratedMail.Kind.MIXED) {
                continue;
            }
            MimeMessage message = new MimeMessage(SESSION, new ByteArrayInputStream(mail.toByteArray()));
            Multipart mixed = (Multipart) message.getContent();
            assertThat(mixed.getCount()).isEqualTo(1 + mail.attachmentCount());
            for (int i = 1; i < mixed.getCount(); i++) {
                BodyPart part = mixed.getBodyPart(i);
                types.add(part.getContentType().replaceAll(";.*", "").trim().toLowerCase());
                assertThat(part.getDisposition()).isEqualTo(Part.ATTACHMENT);
                String name = part.getFileName();
                if (name != null && name.contains("=?")) {
                    name = MimeUtility.decodeText(name);
                }
                fileNames.add(name);
            }
        }
        assertThat(types).contains("application/pdf", "image/png", "application/zip", "message/rfc822");
        assertThat(fileNames).anyMatch(name -> name != null && !MimeText.isAscii(name));
    }

    @Test
    void outgoingMailIsFromTheOwner() {
        MailGenerator generator = MailGenerator.builder().seed(1).count(20).dateRange(FROM, TO).outgoing(true)
                .owner("Ola Nordmann", "ola@postroom.test").build();
        for (GeneratedMail mail : generator.messages()) {
            assertThat(mail.from().address()).isEqualTo("ola@postroom.test");
            assertThat(mail.flags()).contains("\\Seen");
            assertThat(mail.messageId()).endsWith("@postroom.test>");
        }
    }

    @Test
    void badOptionsAreRefused() {
        assertThatThrownBy(() -> MailGenerator.builder().count(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("count");
        assertThatThrownBy(() -> MailGenerator.builder().dateRange(TO, FROM).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("date range is empty");
        assertThatThrownBy(() -> MailGenerator.builder().noDatePerMille(1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> generator(1, 10).message(10)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    private static void walk(Part part, Set<String> charsets) throws Exception {
        Object content = part.getContent();
        if (content instanceof Multipart multipart) {
            assertThat(multipart.getCount()).isPositive();
            for (int i = 0; i < multipart.getCount(); i++) {
                walk(multipart.getBodyPart(i), charsets);
            }
        } else if (part.isMimeType("text/*")) {
            assertThat(content).isInstanceOf(String.class);
            String charset = new jakarta.mail.internet.ContentType(part.getContentType()).getParameter("charset");
            if (charset != null) {
                charsets.add(charset.toLowerCase());
            }
        }
    }

    static long size(Mail mail) throws IOException {
        CountingSink sink = new CountingSink();
        mail.writeTo(sink);
        return sink.count;
    }

    private static byte[] digest(Mail mail) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        mail.writeTo(new OutputStream() {
            @Override
            public void write(int b) {
                sha.update((byte) b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                sha.update(b, off, len);
            }
        });
        return sha.digest();
    }

    static final class CountingSink extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
