package io.postroom.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.ConnectionFailure;
import io.postroom.api.ConnectionFailure.Kind;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.protocol.FailureClassifier;
import jakarta.mail.MessagingException;
import java.net.SocketTimeoutException;
import org.eclipse.angus.mail.iap.ConnectionException;
import org.eclipse.angus.mail.iap.Response;
import org.junit.jupiter.api.Test;

/**
 * A response too large, as Angus reports it: inside the synthetic BYE of a dropped connection,
 * which alone would read as a network failure.
 */
class ResponseTooLargeClassificationTest {

    private static ConnectionFailure classify(Throwable t) {
        return FailureClassifier.classify(Protocol.IMAP, Step.FETCH, "imap.example.com", 993, t);
    }

    @Test
    void insideAngusSyntheticByeItIsAProtocolFailureWithPostroomsOwnWords() {
        ResponseTooLargeException tooLarge = new ResponseTooLargeException(64 << 20, 2_000_000_144L, null);
        ConnectionException bye = new ConnectionException(null, Response.byeResponse(tooLarge));

        ConnectionFailure f = classify(new MessagingException("UID FETCH 1:200", bye));

        assertThat(f.kind()).isEqualTo(Kind.PROTOCOL);
        assertThat(f.step()).isEqualTo(Step.FETCH);
        assertThat(f.detail()).isEqualTo(tooLarge.getMessage())
                .startsWith("The server sent a response of more than 64 MB (it needed at least 2,000,000,144 bytes);"
                        + " Postroom stopped reading it and closed the connection.");
        assertThat(f.describe()).contains("protocol", "more than 64 MB").doesNotEndWith("...");
    }

    @Test
    void aSocketErrorInsideASyntheticByeIsFoundToo() {
        ConnectionException bye = new ConnectionException(null,
                Response.byeResponse(new SocketTimeoutException("Read timed out")));
        assertThat(classify(bye).kind()).isEqualTo(Kind.TIMEOUT);
    }
}
