package io.postroom.protocol.internal;

import io.postroom.api.ConnectionFailedException;
import io.postroom.api.ConnectionFailure.Protocol;
import io.postroom.api.ConnectionFailure.Step;
import io.postroom.api.mailbox.Endpoint;
import io.postroom.api.mailbox.RemoteFolder;
import io.postroom.protocol.FailureClassifier;
import io.postroom.protocol.ImapConnection;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A logged-in Angus {@link IMAPStore}. */
final class AngusImapConnection implements ImapConnection {
    private static final Logger LOG = LoggerFactory.getLogger(AngusImapConnection.class);

    private final BoundedImapStore store;
    private final Endpoint endpoint;
    private final Set<String> capabilities;

    AngusImapConnection(BoundedImapStore store, Endpoint endpoint) throws MessagingException {
        this.store = store;
        this.endpoint = endpoint;
        this.capabilities = readCapabilities(store);
    }

    /** The capabilities the server announced after login, upper case, as Angus keeps them. */
    private static Set<String> readCapabilities(IMAPStore store) throws MessagingException {
        IMAPFolder root = (IMAPFolder) store.getDefaultFolder();
        Object result = root.doCommand(p -> {
            Set<String> names = new TreeSet<>();
            for (String c : p.getCapabilities().keySet()) {
                if (!c.startsWith("__")) { // Angus's internal marker
                    names.add(c.toUpperCase(Locale.ROOT));
                }
            }
            return names;
        });
        @SuppressWarnings("unchecked")
        Set<String> names = (Set<String>) result;
        return Set.copyOf(names);
    }

    @Override
    public Store store() {
        return store;
    }

    @Override
    public Set<String> capabilities() {
        return capabilities;
    }

    @Override
    public boolean hasCapability(String capability) {
        return capability != null && capabilities.contains(capability.toUpperCase(Locale.ROOT));
    }

    @Override
    public List<RemoteFolder> listFolders() {
        try {
            Folder[] folders = store.getDefaultFolder().list("*");
            List<RemoteFolder> result = new ArrayList<>(folders.length);
            for (Folder f : folders) {
                String[] attributes = f instanceof IMAPFolder imap ? imap.getAttributes() : new String[0];
                result.add(RemoteFolders.of(f.getFullName(), attributes));
            }
            return RemoteFolders.sorted(result);
        } catch (MessagingException | RuntimeException e) {
            throw failure(Step.LIST_FOLDERS, e);
        }
    }

    /**
     * Classified; a response found too large or a command past its deadline is what it was, not the
     * closed store Angus reports for it.
     */
    private ConnectionFailedException failure(Step step, Exception e) {
        IOException stopped = store.stoppedBy();
        if (stopped != null) {
            return new ConnectionFailedException(
                    FailureClassifier.classify(Protocol.IMAP, step, endpoint.host(), endpoint.port(), stopped), e);
        }
        return FailureClassifier.toException(Protocol.IMAP, step, endpoint.host(), endpoint.port(), e);
    }

    @Override
    public long answerLimitBytes() {
        return store.answerLimit();
    }

    @Override
    public long responseLimitBytes() {
        return store.responseLimit();
    }

    /** Closes the sockets of the store's connections, taking none of Angus's locks. */
    @Override
    public void abort() {
        store.abort();
    }

    @Override
    public void close() {
        try {
            store.close(); // a no-op when already closed
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("Closing the IMAP connection to {} failed: {}", endpoint, e.toString());
        }
    }

    @Override
    public String toString() {
        return "IMAP connection to " + endpoint;
    }
}
