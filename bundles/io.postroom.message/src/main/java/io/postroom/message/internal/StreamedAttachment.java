package io.postroom.message.internal;

import io.postroom.api.message.AttachmentContent;
import io.postroom.api.message.AttachmentInfo;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicBoolean;

/** An attachment being streamed: the decoded stream over a {@link PartStream}; closing it logs out. */
final class StreamedAttachment implements AttachmentContent {
    private final AttachmentInfo info;
    private final InputStream decoded;
    private final OptionalLong length;
    private final ImapSession session;
    private final Runnable onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    StreamedAttachment(AttachmentInfo info, InputStream decoded, OptionalLong length, ImapSession session, Runnable onClose) {
        this.info = info;
        this.decoded = decoded;
        this.length = length;
        this.session = session;
        this.onClose = onClose;
    }

    @Override
    public AttachmentInfo info() {
        return info;
    }

    @Override
    public InputStream stream() {
        return decoded;
    }

    @Override
    public OptionalLong length() {
        return length;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                decoded.close();
            } catch (IOException | RuntimeException e) {
                // the session below is closed either way
            } finally {
                try {
                    session.close();
                } finally {
                    onClose.run();
                }
            }
        }
    }

    @Override
    public String toString() {
        return "Attachment " + info.index() + " (" + info.contentType() + ") over " + session;
    }
}
