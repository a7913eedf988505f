package io.postroom.message.internal;

import java.time.Duration;

/**
 * What {@link MessageConfig} sets for attachment downloads, checked: the one place where both
 * activation and a configuration change ({@code @Modified}) validate it, so that both refuse the
 * same values with the same message, before anything is applied.
 *
 * @param rangeBytes        attachments are fetched in ranges of this many bytes ({@code attachmentFetchKib})
 * @param streamsPerMailbox attachments of one mailbox streamed at once ({@code attachmentStreamsPerMailbox})
 * @param idleLimit         a download not read for this long is closed ({@code downloadIdleSeconds})
 */
record DownloadSettings(int rangeBytes, int streamsPerMailbox, Duration idleLimit) {
    /** The largest {@code attachmentFetchKib}: 16 MiB held per open attachment, well inside one IMAP response (64 MiB). */
    static final int MAX_FETCH_KIB = 16 * 1024;
    /** The most attachments of one mailbox streamed at once: each holds an IMAP connection. */
    static final int MAX_STREAMS = 64;
    /** The longest {@code downloadIdleSeconds}: a day. */
    static final int MAX_IDLE_SECONDS = 86_400;

    /** @throws IllegalArgumentException naming the setting and what it must be */
    DownloadSettings {
        if (rangeBytes < 1024) {
            throw new IllegalArgumentException("attachment ranges of at least 1 KiB, not " + rangeBytes + " bytes");
        }
        if (streamsPerMailbox < 1 || streamsPerMailbox > MAX_STREAMS) {
            throw new IllegalArgumentException(setting("attachmentStreamsPerMailbox") + " must be between 1 and " + MAX_STREAMS
                    + ", not " + streamsPerMailbox);
        }
        if (idleLimit == null || idleLimit.compareTo(Duration.ofSeconds(1)) < 0
                || idleLimit.compareTo(Duration.ofSeconds(MAX_IDLE_SECONDS)) > 0) {
            throw new IllegalArgumentException(setting("downloadIdleSeconds") + " must be between 1 and " + MAX_IDLE_SECONDS
                    + " (seconds), not " + (idleLimit == null ? null : idleLimit.toSeconds()));
        }
    }

    /**
     * The configuration's values, checked.
     *
     * @throws IllegalArgumentException naming the first setting out of bounds and what it must be
     */
    static DownloadSettings of(MessageConfig config) {
        int kib = config.attachmentFetchKib();
        if (kib < 1 || kib > MAX_FETCH_KIB) {
            throw new IllegalArgumentException(setting("attachmentFetchKib") + " must be between 1 and " + MAX_FETCH_KIB
                    + " (KiB), not " + kib);
        }
        return new DownloadSettings(kib * 1024, config.attachmentStreamsPerMailbox(),
                Duration.ofSeconds(config.downloadIdleSeconds()));
    }

    private static String setting(String name) {
        return name + " of " + MessageConfig.PID;
    }

    @Override
    public String toString() {
        return "attachmentFetchKib " + rangeBytes / 1024 + ", attachmentStreamsPerMailbox " + streamsPerMailbox + ", downloadIdleSeconds " + idleLimit.toSeconds();
    }
}
