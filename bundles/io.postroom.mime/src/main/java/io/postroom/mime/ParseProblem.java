package io.postroom.mime;

/**
 * Something wrong with a message that parsing recovered from. A message with problems is still
 * stored: the flags say which values are best guesses. Codes are stable (stored with messages):
 * never rename one, only add.
 */
public enum ParseProblem {
    /** A header line without a colon, an invalid field name, or a field whose syntax had to be guessed. */
    MALFORMED_HEADER,
    /** A field that may occur once occurred more than once; the first was kept (address lists were joined). */
    DUPLICATE_HEADER,
    /** Raw 8-bit bytes in a header that are not UTF-8 (RFC 6532); decoded with a fallback charset. */
    EIGHT_BIT_HEADER,
    /** An RFC 2047 encoded word with bad base64/Q data or without its closing {@code ?=}. */
    BAD_ENCODED_WORD,
    /** The header block or one field value was longer than the limit and was cut. */
    TRUNCATED_HEADER,
    /** No From field, or no address in it. */
    MISSING_FROM,
    /** No Date field. */
    MISSING_DATE,
    /** A Date field that could not be read, or only with guesses (unknown zone, impossible year). */
    BAD_DATE,
    /** No Message-ID field (the fingerprint identifies the message instead). */
    MISSING_MESSAGE_ID,
    /** A charset name Java does not know (x-unknown, NONE, ...); the text was decoded as UTF-8 or windows-1252. */
    UNKNOWN_CHARSET,
    /** Bytes that are invalid in the declared charset; decoded with a fallback or replacement characters. */
    UNDECODABLE_CHARSET,
    /** 8-bit bytes in text that declares no charset or US-ASCII. */
    EIGHT_BIT_TEXT,
    /** An unknown or misspelt Content-Transfer-Encoding, or invalid base64/quoted-printable data. */
    BAD_TRANSFER_ENCODING,
    /** Broken MIME: a missing or unmatched boundary, a missing closing boundary, a part without headers. */
    BROKEN_MIME,
    /** Multiparts nested deeper than the limit; the deeper parts are kept as one opaque part. */
    MIME_NESTING_TOO_DEEP,
    /** More body parts than the limit; the rest are not listed. */
    TOO_MANY_PARTS,
    /** A text part longer than the limit (or beyond the total text budget); only its beginning is kept. */
    TRUNCATED_TEXT,
    /** A selected text part was not supplied to {@link MimeParser#assemble}; its text is missing. */
    TEXT_PART_MISSING,
    /** NUL or other control characters were removed from text or headers. */
    CONTROL_CHARACTERS
}
