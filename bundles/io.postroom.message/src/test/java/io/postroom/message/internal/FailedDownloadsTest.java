package io.postroom.message.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.message.AttachmentContent;
import io.postroom.api.message.MessageId;
import io.postroom.message.internal.Mails.Attachment;
import jakarta.mail.Flags;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A download whose read fails (the connection to the mail server dropped in the middle of a FETCH,
 * the message deleted on the server while it is read) lets go at once: its download slot is given
 * back and its connection closed before the failing read returns, without waiting for the
 * caller's {@code close()} or the idle limit, so that the mailbox's next download is served at
 * once even when the mailbox has a single slot. That read and every later one say the download
 * failed and to open the attachment again, with the failure underneath as the cause.
 */
class FailedDownloadsTest extends DownloadsFixture {

    @Test
    void aDownloadWhoseConnectionDropsMidFetchGivesItsSlotBackAtOnceWithoutBeingClosed() throws Exception {
        MessageServiceImpl s = service(1);
        AttachmentContent cut = s.openAttachment(anna(), files, 1);
        InputStream in = cut.stream();
        assertThat(in.readNBytes(100)).isEqualTo(Arrays.copyOf(BINARY, 100));
        assertThat(streaming(s)).isEqualTo(1);
        assertThat(proxy.openConnections()).isEqualTo(1);
        assertThat(catchThrowableOfType(() -> s.openAttachment(anna(), files, 1), PostroomException.class).code())
                .as("the mailbox's only slot is taken").isEqualTo(ErrorCode.TOO_MANY_DOWNLOADS);

        // the server's answer to the next range's FETCH breaks off after 100 bytes (inside its literal)
        int cuts = proxy.cuts();
        proxy.cutOnceAfterServerBytes(100);
        IOException e = catchThrowableOfType(in::readAllBytes, IOException.class);
        assertThat(proxy.cuts()).isEqualTo(cuts + 1);
        assertThat(e.getCause()).isInstanceOf(ConnectionFailedException.class);
        ConnectionFailedException failure = (ConnectionFailedException) e.getCause();
        assertThat(failure.failure().step()).isEqualTo(ConnectionFailure.Step.FETCH);
        assertThat(failure.failure().kind().isTransient()).isTrue();
        assertThat(e).hasMessage(StreamedAttachment.FAILED + " " + failure.getMessage());
        assertThat(e.getMessage()).startsWith("The download of this attachment failed")
                .contains("open the attachment again").contains("IMAP fetch to 127.0.0.1:" + proxy.port() + " failed");

        // let go when the read failed: the slot is back, nobody closed the download
        assertThat(streaming(s)).isZero();
        awaitOpenConnections(0);
        // the only slot serves the next download at once, while the failed one is still not closed
        assertThat(read(s.openAttachment(anna(), files, 1))).isEqualTo(BINARY);
        assertThat(streaming(s)).isZero();

        // every later read says the same, with the same failure underneath: never an end that looks complete
        IOException again = catchThrowableOfType(() -> in.read(new byte[100]), IOException.class);
        assertThat(again).hasMessage(e.getMessage());
        assertThat(again.getCause()).isSameAs(failure);
        assertThat(catchThrowableOfType(in::read, IOException.class)).hasMessage(e.getMessage());
        assertThat(catchThrowableOfType(in::readAllBytes, IOException.class).getCause()).isSameAs(failure);
        assertThat(in.available()).isZero();

        // the idle sweep forgets it and closes nothing; closing it now gives no slot back a second time
        AttachmentContent next = s.openAttachment(anna(), files, 1);
        assertThat(s.downloads().closeIdle()).isZero();
        assertThat(s.downloads().watched()).as("the new download only").isEqualTo(1);
        cut.close();
        in.close();
        assertThat(streaming(s)).as("the new download keeps its slot").isEqualTo(1);
        assertThat(catchThrowableOfType(() -> s.openAttachment(anna(), files, 1), PostroomException.class).code())
                .isEqualTo(ErrorCode.TOO_MANY_DOWNLOADS);
        assertThat(catchThrowableOfType(in::read, IOException.class)).as("closed afterwards: still the failure")
                .hasMessage(e.getMessage());
        assertThat(read(next)).isEqualTo(BINARY);
        assertThat(streaming(s)).isZero();
        assertThat(record(mailbox).consecutiveFailures()).as("not a failure of the mailbox").isZero();
    }

    @Test
    void aDownloadWhoseConnectionIsCutBetweenRangesFailsTheSameWay() throws Exception {
        MessageServiceImpl s = service(1);
        AttachmentContent cut = s.openAttachment(anna(), files, 2);
        InputStream in = cut.stream();
        assertThat(in.readNBytes(RANGE)).as("the first range, fetched while the message was located")
                .isEqualTo(CSV.substring(0, RANGE).getBytes(StandardCharsets.US_ASCII));
        proxy.dropAll();
        awaitOpenConnections(0);

        IOException e = catchThrowableOfType(in::read, IOException.class);
        assertThat(e.getMessage()).startsWith(StreamedAttachment.FAILED);
        assertThat(((ConnectionFailedException) e.getCause()).failure().step()).isEqualTo(ConnectionFailure.Step.FETCH);
        assertThat(streaming(s)).isZero();
        assertThat(new String(read(s.openAttachment(anna(), files, 2)), StandardCharsets.US_ASCII))
                .isEqualTo(CSV);
        assertThat(catchThrowableOfType(in::read, IOException.class)).hasMessage(e.getMessage());
        cut.close();
        assertThat(streaming(s)).isZero();
    }

    @Test
    void aMessageDeletedOnTheServerWhileReadGivesItsSlotBackAtOnceAndSaysItIsGone() throws Exception {
        byte[] big = new byte[20_000];
        new Random(5).nextBytes(big);
        put("doomed@demo.test", List.of(new Attachment("doomed.bin", "application/octet-stream", "base64", big)));
        sync(mailbox);
        MessageId doomed = stored(mailbox, "doomed@demo.test");
        awaitOpenConnections(0);

        MessageServiceImpl s = service(1);
        AttachmentContent content = s.openAttachment(anna(), doomed, 1);
        InputStream in = content.stream();
        assertThat(in.readNBytes(100)).isEqualTo(Arrays.copyOf(big, 100));
        var folder = inbox();
        for (var m : folder.getMessages()) {
            if ("<doomed@demo.test>".equals(m.getMimeMessage().getMessageID())) {
                folder.setFlags(new Flags(Flags.Flag.DELETED), true, m.getUid(), null, false);
            }
        }
        folder.expunge();

        IOException e = catchThrowableOfType(in::readAllBytes, IOException.class);
        assertThat(e.getCause()).isInstanceOf(PostroomException.class);
        PostroomException gone = (PostroomException) e.getCause();
        assertThat(gone.code()).isEqualTo(ErrorCode.MESSAGE_GONE_FROM_SERVER);
        assertThat(e).as("its own words: opening it again cannot help").hasMessage(gone.getMessage());
        assertThat(e.getMessage()).contains("is no longer on the mail server");
        assertThat(streaming(s)).as("the slot is back at once").isZero();
        awaitOpenConnections(0); // logged out without waiting for the server's answer

        assertThat(read(s.openAttachment(anna(), files, 1))).as("the mailbox's only slot serves another download")
                .isEqualTo(BINARY);
        IOException again = catchThrowableOfType(in::read, IOException.class);
        assertThat(again).hasMessage(e.getMessage());
        assertThat(again.getCause()).isSameAs(gone);
        content.close();
        assertThat(streaming(s)).isZero();
        assertThat(record(mailbox).consecutiveFailures()).isZero();
    }
}
