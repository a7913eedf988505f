package io.postroom.api.message;

import java.io.InputStream;
import org.osgi.annotation.versioning.ProviderType;
import java.util.OptionalLong;

/** An attachment being streamed from the mail server. Close it to release the connection. */
@ProviderType
public interface AttachmentContent extends AutoCloseable {

    AttachmentInfo info();

    /** The decoded content (transfer encoding removed). */
    InputStream stream();

    /**
     * The number of bytes {@link #stream()} yields, when known before reading (for example a part
     * without transfer encoding); empty otherwise. {@link AttachmentInfo#size()} is the encoded
     * size and is no substitute. Interfaces use it for {@code Content-Length}.
     */
    default OptionalLong length() {
        return OptionalLong.empty();
    }

    @Override
    void close();
}
