/**
 * Test fixtures shared by every module's tests (test scope), benchmarks and Pax Exam drivers:
 * <ul>
 * <li>{@link io.postroom.testing.dovecot.Dovecot}: a private Dovecot 2.3 (real IMAP with
 *     CONDSTORE/QRESYNC) per test class or per JVM, with doveadm operations;</li>
 * <li>{@link io.postroom.testing.proxy.FaultProxy}: latency and network faults in front of any server;</li>
 * <li>{@link io.postroom.testing.mail.MailGenerator} and {@link io.postroom.testing.mail.HostileMail}:
 *     deterministic realistic mail and deliberately broken mail;</li>
 * <li>{@link io.postroom.testing.corpus.SharedCorpus}: the shared corpus of real-world messages;</li>
 * <li>{@link io.postroom.testing.host.TestHost} and {@link io.postroom.testing.host.RecordingEventAdmin}:
 *     the host's side (directory, plans, EventAdmin) as a host would write it for a test;</li>
 * <li>{@link io.postroom.testing.ds.ComponentConfig}: a DS component's configuration without DS;</li>
 * <li>{@link io.postroom.testing.time.TestClock}: a clock moved by hand;</li>
 * <li>{@link io.postroom.testing.greenmail.GreenMailServers}, {@link FreePorts},
 *     {@link io.postroom.testing.log.LogCapture}, {@link io.postroom.testing.tls.TestCertificate}.</li>
 * </ul>
 * Everything is independent of JUnit except the small JUnit 5 helpers
 * ({@code DovecotExtension}, {@code @EnabledIfDovecot}, {@code @EnabledIfCorpus}), which skip
 * tests only when Dovecot or the corpus is absent.
 */
package io.postroom.testing;
