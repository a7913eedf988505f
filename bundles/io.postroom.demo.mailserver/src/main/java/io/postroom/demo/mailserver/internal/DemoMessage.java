package io.postroom.demo.mailserver.internal;

import java.time.Instant;

/**
 * A message as {@code postroom:demo-inbox} lists it.
 *
 * @param received when the server stored it
 * @param from     the From header as written
 * @param subject  decoded subject, empty if none
 * @param preview  the start of its text, on one line
 */
public record DemoMessage(Instant received, String from, String subject, String preview) {
}
