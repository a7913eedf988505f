package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Properties;
import java.util.Set;
import org.eclipse.angus.mail.iap.Protocol;
import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.protocol.FetchResponse;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.junit.jupiter.api.Test;

/** What the sync keeps of a server's report of changes, and when it stops keeping it. */
class ServerChangesTest {

    private static Response response(String line) throws Exception {
        IMAPResponse r = new IMAPResponse(line);
        if (!r.keyEquals("FETCH")) {
            return r;
        }
        Protocol protocol = new Protocol(new ByteArrayInputStream(new byte[0]),
                new PrintStream(OutputStream.nullOutputStream()), new Properties(), false);
        return new FetchResponse(r, null, protocol);
    }

    @Test
    void flagsModSeqsAndVanishedRangesAreKeptUpToTheHighestStoredUid() throws Exception {
        ServerChanges c = new ServerChanges(10, 100);
        assertThat(c.test(response("* 1 FETCH (UID 4 FLAGS (\\Seen $Label1) MODSEQ (77))"))).isTrue();
        assertThat(c.test(response("* 2 FETCH (UID 6 FLAGS ())"))).isTrue();
        assertThat(c.test(response("* 9 FETCH (UID 11 FLAGS (\\Seen) MODSEQ (78))"))).as("taken, not kept: new mail")
                .isTrue();
        assertThat(c.test(response("* 3 FETCH (UID 7 MODSEQ (79))"))).as("no flags: nothing to keep").isTrue();
        assertThat(c.test(response("* VANISHED (EARLIER) 1:2,5"))).isTrue();
        assertThat(c.test(response("* VANISHED 3"))).as("an expunge now: reported again as EARLIER next time").isTrue();
        assertThat(c.test(response("* OK [HIGHESTMODSEQ 80] still here"))).as("left to Angus").isFalse();

        assertThat(c.overflowed()).isFalse();
        assertThat(c.changed()).containsOnlyKeys(4L, 6L);
        assertThat(c.changed().get(4L)).isEqualTo(new ServerChanges.Changed(Set.of("\\Seen", "$Label1"), 77L));
        assertThat(c.changed().get(6L)).isEqualTo(new ServerChanges.Changed(Set.of(), null));
        assertThat(c.vanished()).extracting(r -> r[0] + ":" + r[1]).containsExactly("1:2", "5:5");
    }

    @Test
    void beyondTheLimitNothingIsKeptAndTheFolderIsToBeComparedInstead() throws Exception {
        ServerChanges c = new ServerChanges(1_000, 5);
        for (int uid = 1; uid <= 4; uid++) {
            c.test(response("* " + uid + " FETCH (UID " + uid + " FLAGS (\\Seen))"));
        }
        c.test(response("* 4 FETCH (UID 4 FLAGS (\\Seen \\Flagged))"));
        assertThat(c.overflowed()).as("the same UID again is not one more").isFalse();
        c.test(response("* VANISHED (EARLIER) 20"));
        assertThat(c.overflowed()).as("four changes and a range: at the limit").isFalse();
        c.test(response("* 5 FETCH (UID 5 FLAGS (\\Seen))"));

        assertThat(c.overflowed()).isTrue();
        assertThat(c.changed()).isEmpty();
        assertThat(c.vanished()).isEmpty();
        assertThat(c.test(response("* 6 FETCH (UID 6 FLAGS (\\Seen))"))).as("still taken, not kept").isTrue();
        assertThat(c.changed()).isEmpty();
    }

    @Test
    void aVanishedSetOfMoreRangesThanTheLimitIsNotSplit() throws Exception {
        StringBuilder set = new StringBuilder("1");
        for (int uid = 3; uid < 2_000; uid += 2) {
            set.append(',').append(uid);
        }
        ServerChanges c = new ServerChanges(10_000, 100);
        c.test(response("* VANISHED (EARLIER) 1:9,11"));
        assertThat(c.vanished()).hasSize(2);

        assertThat(c.test(response("* VANISHED (EARLIER) " + set))).isTrue();
        assertThat(c.overflowed()).isTrue();
        assertThat(c.vanished()).isEmpty();
    }
}
