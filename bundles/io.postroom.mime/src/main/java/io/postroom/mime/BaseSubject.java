package io.postroom.mime;

import io.postroom.mime.internal.Subjects;

/**
 * The threading key of a subject: RFC 5256 §2.1 base subject, extended with common localised
 * reply/forward prefixes (AW:, SV:, Antw:, WG:, RV:, Odp:, Відп:, 回复:, ...), white space
 * collapsed and lower-cased.
 */
public final class BaseSubject {
    private BaseSubject() {
    }

    /** {@code "Re: [list] AW: Fwd: Hello  world (fwd)"} gives {@code "hello world"}; null gives "". */
    public static String of(String subject) {
        return Subjects.base(subject);
    }
}
