/**
 * In-memory implementations of the host contract's services, as a host or a test would write
 * them: {@link io.postroom.testing.fakes.InMemoryMailboxService},
 * {@link io.postroom.testing.fakes.InMemorySyncService} and
 * {@link io.postroom.testing.fakes.InMemoryMessageService}. They apply the contract's access rules
 * and error codes so that the REST API and the shell commands can be tested over them without a
 * database or a mail server.
 */
package io.postroom.testing.fakes;
