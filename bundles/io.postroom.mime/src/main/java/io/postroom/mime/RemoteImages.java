package io.postroom.mime;

/**
 * What the HTML sanitiser does with images loaded from the network ({@code http:}/{@code https:}),
 * which senders use as tracking pixels. Images carried in the message ({@code cid:}) are always kept.
 */
public enum RemoteImages {
    /**
     * Default: the {@code src} is moved to {@code data-remote-src}, so nothing loads when the HTML is
     * shown; a "show images" action in the UI can copy it back for one message.
     */
    BLOCK,
    /** Remove remote images (and CSS {@code url()} references) altogether. */
    REMOVE,
    /** Keep them as they are. */
    ALLOW
}
