/**
 * Talking to mail servers: IMAP and SMTP connections opened with timeouts, verified TLS, the
 * administrator's outbound policy and {@code \Seen}-safe defaults, and every failure classified
 * into a {@link io.postroom.api.ConnectionFailure}. Sync, probe and sending all connect through here.
 */
@org.osgi.annotation.versioning.Version("1.5.0")
package io.postroom.protocol;
