package io.postroom.shell.internal;

import io.postroom.api.Actor;
import io.postroom.api.PostroomException;
import io.postroom.api.mailbox.AccessLevel;
import io.postroom.api.mailbox.KeepPolicy;
import io.postroom.api.mailbox.Mailbox;
import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.MailboxService;
import io.postroom.api.mailbox.MessageVisibility;
import io.postroom.api.mailbox.Preset;
import io.postroom.api.mailbox.Security;
import io.postroom.api.mailbox.SyncPeriod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completion of option values and mailbox ids. Completers never fail: no candidates instead. */
public final class Completers {
    private Completers() {
    }

    /** Completes from a fixed list. */
    abstract static class Fixed implements Completer {
        private final StringsCompleter delegate;

        Fixed(Collection<String> values) {
            delegate = new StringsCompleter(values);
        }

        @Override
        public int complete(Session session, CommandLine commandLine, List<String> candidates) {
            return delegate.complete(session, commandLine, candidates);
        }
    }

    /** Completes from what the service tells the acting user. */
    abstract static class Live implements Completer {
        @Reference
        MailboxService mailboxes;

        @Reference
        ShellActors actors;

        @Override
        public int complete(Session session, CommandLine commandLine, List<String> candidates) {
            Collection<String> values;
            try {
                values = values(actors.actor(session), commandLine);
            } catch (RuntimeException e) {
                return -1;
            }
            return new StringsCompleter(values).complete(session, commandLine, candidates);
        }

        abstract Collection<String> values(Actor actor, CommandLine commandLine);
    }

    @Service
    public static final class Securities extends Fixed {
        public Securities() {
            super(Values.tokens(Security.class));
        }
    }

    @Service
    public static final class SyncPeriods extends Fixed {
        public SyncPeriods() {
            super(Arrays.stream(SyncPeriod.values()).map(SyncPeriod::token).toList());
        }
    }

    @Service
    public static final class AccessLevels extends Fixed {
        public AccessLevels() {
            super(Values.tokens(AccessLevel.class));
        }
    }

    @Service
    public static final class Visibilities extends Fixed {
        public Visibilities() {
            super(Values.tokens(MessageVisibility.class));
        }
    }

    @Service
    public static final class KeepPolicies extends Fixed {
        public KeepPolicies() {
            super(Values.tokens(KeepPolicy.class));
        }
    }

    @Service
    public static final class YesNo extends Fixed {
        public YesNo() {
            super(Values.YES_NO);
        }
    }

    /** Ids of the mailboxes the acting user sees. */
    @Service
    public static final class MailboxIds extends Live {
        @Override
        Collection<String> values(Actor actor, CommandLine commandLine) {
            return mailboxes.list(actor).stream().map(m -> m.id().toString()).toList();
        }
    }

    @Service
    public static final class Presets extends Live {
        @Override
        Collection<String> values(Actor actor, CommandLine commandLine) {
            return mailboxes.presets().stream().map(Preset::id).toList();
        }
    }

    /**
     * Folder names: INBOX, and the folders the mailbox named on the command line synchronises
     * (asking the server would be too slow for completion).
     */
    @Service
    public static final class Folders extends Live {
        @Override
        Collection<String> values(Actor actor, CommandLine commandLine) {
            Set<String> names = new LinkedHashSet<>();
            names.add("INBOX");
            for (String id : mailboxIdsIn(commandLine)) {
                try {
                    Mailbox m = mailboxes.get(actor, MailboxId.parse(id));
                    names.addAll(m.settings().folders());
                } catch (PostroomException e) {
                    // not a mailbox of this user: nothing to add
                }
            }
            return names;
        }
    }

    /** The words of the command line that look like mailbox ids (positive numbers). */
    static List<String> mailboxIdsIn(CommandLine commandLine) {
        List<String> ids = new ArrayList<>();
        String[] words = commandLine.getArguments();
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            boolean optionValue = i > 0 && words[i - 1].startsWith("--") && !words[i - 1].contains("=");
            if (!optionValue && i != commandLine.getCursorArgumentIndex() && w.matches("[1-9][0-9]{0,17}")) {
                ids.add(w);
            }
        }
        return ids;
    }
}
