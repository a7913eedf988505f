package io.postroom.shell.internal;

import java.util.regex.Pattern;

/**
 * Karaf names the thread of a console command after its whole command line ({@code pipe-...}), and
 * most log layouts print the thread name: a password given as {@code --password X} would reach the
 * host's log on every line logged while the command runs. Commands run under a masked name.
 */
final class ThreadNames {
    private static final Pattern PASSWORD_OPTION =
            Pattern.compile("(--password)(=|\\s+)(\"[^\"]*\"|'[^']*'|\\S+)");

    private ThreadNames() {
    }

    static String mask(String name) {
        return name == null ? null : PASSWORD_OPTION.matcher(name).replaceAll("$1$2****");
    }

    /** Runs with the current thread's name masked, restoring it afterwards. */
    static <T> T masked(ThrowingSupplier<T> work) throws Exception {
        Thread thread = Thread.currentThread();
        String original = thread.getName();
        String masked = mask(original);
        if (masked.equals(original)) {
            return work.get();
        }
        thread.setName(masked);
        try {
            return work.get();
        } finally {
            thread.setName(original);
        }
    }

    @FunctionalInterface
    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }
}
