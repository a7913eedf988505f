package io.postroom.mime;

import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;

/**
 * Limits that keep parsing lean and safe against hostile mail, and the remote image policy.
 *
 * @param maxTextBytes        octets downloaded and decoded per text part (default 1 MiB)
 * @param maxTotalTextBytes   octets of text per message, all parts together (default 4 MiB)
 * @param maxDepth            multipart / enclosed-message nesting depth (default 32, at most 256)
 * @param maxParts            body parts listed per message (default 1,000)
 * @param maxHeaderBytes      octets of the message header block read (default 1 MiB)
 * @param maxHeaderValueChars characters kept per header value (default 64 Ki)
 * @param remoteImages        what the HTML sanitiser does with remote images
 * @throws PostroomException {@link ErrorCode#INVALID_INPUT} when a limit is below its minimum
 */
public record ParseOptions(int maxTextBytes, int maxTotalTextBytes, int maxDepth, int maxParts,
                           int maxHeaderBytes, int maxHeaderValueChars, RemoteImages remoteImages) {

    public static final int DEFAULT_MAX_TEXT_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_TOTAL_TEXT_BYTES = 4 << 20;
    public static final int DEFAULT_MAX_DEPTH = 32;
    public static final int DEFAULT_MAX_PARTS = 1000;
    public static final int DEFAULT_MAX_HEADER_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_HEADER_VALUE_CHARS = 64 * 1024;
    /** The deepest nesting that may be configured: parsing recurses once per level. */
    public static final int MAX_DEPTH_LIMIT = 256;

    public ParseOptions {
        maxTextBytes = atLeast("maxTextBytes", maxTextBytes, 1024);
        maxTotalTextBytes = atLeast("maxTotalTextBytes", maxTotalTextBytes, maxTextBytes);
        maxDepth = atLeast("maxDepth", maxDepth, 2);
        if (maxDepth > MAX_DEPTH_LIMIT) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, "maxDepth",
                    "The parser limit maxDepth must be at most " + MAX_DEPTH_LIMIT + ", not " + maxDepth + ".");
        }
        maxParts = atLeast("maxParts", maxParts, 1);
        maxHeaderBytes = atLeast("maxHeaderBytes", maxHeaderBytes, 4096);
        maxHeaderValueChars = atLeast("maxHeaderValueChars", maxHeaderValueChars, 256);
        remoteImages = remoteImages == null ? RemoteImages.BLOCK : remoteImages;
    }

    public static ParseOptions defaults() {
        return new ParseOptions(DEFAULT_MAX_TEXT_BYTES, DEFAULT_MAX_TOTAL_TEXT_BYTES, DEFAULT_MAX_DEPTH,
                DEFAULT_MAX_PARTS, DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADER_VALUE_CHARS, RemoteImages.BLOCK);
    }

    public ParseOptions withMaxTextBytes(int bytes) {
        return new ParseOptions(bytes, Math.max(bytes, maxTotalTextBytes), maxDepth, maxParts, maxHeaderBytes,
                maxHeaderValueChars, remoteImages);
    }

    public ParseOptions withMaxDepth(int depth) {
        return new ParseOptions(maxTextBytes, maxTotalTextBytes, depth, maxParts, maxHeaderBytes,
                maxHeaderValueChars, remoteImages);
    }

    public ParseOptions withMaxParts(int parts) {
        return new ParseOptions(maxTextBytes, maxTotalTextBytes, maxDepth, parts, maxHeaderBytes,
                maxHeaderValueChars, remoteImages);
    }

    public ParseOptions withRemoteImages(RemoteImages policy) {
        return new ParseOptions(maxTextBytes, maxTotalTextBytes, maxDepth, maxParts, maxHeaderBytes,
                maxHeaderValueChars, policy);
    }

    private static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw PostroomException.invalid(ErrorCode.INVALID_INPUT, name,
                    "The parser limit " + name + " must be at least " + min + ", not " + value + ".");
        }
        return value;
    }
}
