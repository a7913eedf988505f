package io.postroom.protocol.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.api.mailbox.SpecialUse;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteFoldersTest {

    @Test
    void specialUseAttributesMapToSpecialUses() {
        assertThat(RemoteFolders.of("Sent", new String[] {"\\HasNoChildren", "\\Sent"}).specialUse()).containsExactly(SpecialUse.SENT);
        assertThat(RemoteFolders.of("[Gmail]/All Mail", new String[] {"\\All", "\\HasNoChildren"}).specialUse())
                .containsExactly(SpecialUse.ALL);
        assertThat(RemoteFolders.of("x", new String[] {"\\Drafts", "\\Trash", "\\Junk", "\\Archive", "\\Flagged"}).specialUse())
                .containsExactlyInAnyOrder(SpecialUse.DRAFTS, SpecialUse.TRASH, SpecialUse.JUNK, SpecialUse.ARCHIVE, SpecialUse.FLAGGED);
        assertThat(RemoteFolders.of("x", new String[] {"\\SENT", "\\marked", "\\Important", "$Custom"}).specialUse())
                .containsExactly(SpecialUse.SENT);
    }

    @Test
    void noselectAndNonExistentAreNotSelectable() {
        assertThat(RemoteFolders.of("[Gmail]", new String[] {"\\HasChildren", "\\Noselect"}).selectable()).isFalse();
        assertThat(RemoteFolders.of("gone", new String[] {"\\NonExistent"}).selectable()).isFalse();
        assertThat(RemoteFolders.of("INBOX", new String[] {"\\HasNoChildren"}).selectable()).isTrue();
        assertThat(RemoteFolders.of("INBOX", null).selectable()).isTrue();
    }

    @Test
    void inboxComesFirstThenNamesIgnoringCase() {
        List<RemoteFolder> sorted = RemoteFolders.sorted(List.of(
                RemoteFolders.of("zeta", null), RemoteFolders.of("Archive", null), RemoteFolders.of("INBOX", null),
                RemoteFolders.of("beta", null), RemoteFolders.of("Beta", null)));
        assertThat(sorted).extracting(RemoteFolder::name).containsExactly("INBOX", "Archive", "Beta", "beta", "zeta");
    }
}
