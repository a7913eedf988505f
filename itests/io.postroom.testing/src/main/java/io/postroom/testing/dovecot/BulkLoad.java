package io.postroom.testing.dovecot;

import java.time.Duration;

/**
 * The outcome of {@link Dovecot#bulkLoad}: the messages were written as Maildir files, then
 * Dovecot indexed them.
 *
 * @param messages      messages written
 * @param bytes         bytes written
 * @param writing       time spent writing the Maildir files
 * @param indexing      time Dovecot took to find and index them (first sync of the folder)
 * @param status        the folder afterwards
 */
public record BulkLoad(int messages, long bytes, Duration writing, Duration indexing, FolderStatus status) {

    public Duration total() {
        return writing.plus(indexing);
    }

    /** Messages per second over the whole load. */
    public double messagesPerSecond() {
        long nanos = Math.max(1, total().toNanos());
        return messages * 1e9 / nanos;
    }

    @Override
    public String toString() {
        return String.format("%,d messages (%,.1f MB) in %.2f s: writing %.2f s, Dovecot indexing %.2f s (%,.0f messages/s)",
                messages, bytes / 1e6, total().toMillis() / 1e3, writing.toMillis() / 1e3,
                indexing.toMillis() / 1e3, messagesPerSecond());
    }
}
