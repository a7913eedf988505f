package io.postroom.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.mailbox.MailboxId;
import io.postroom.api.mailbox.SettingsUpdate;
import io.postroom.rest.internal.ApiServer.Reply;
import io.postroom.testing.fakes.InMemoryMailboxService;
import io.postroom.testing.fakes.InMemoryMessageService;
import io.postroom.testing.fakes.InMemorySyncService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * The real servlet over HTTP against the in-memory mailbox, sync and message services, one server
 * per test class; before each test both optional services are there (again).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ApiFixture {
    private static final AtomicInteger SEQ = new AtomicInteger();

    final InMemoryMailboxService mailboxes = new InMemoryMailboxService();
    final InMemorySyncService sync = new InMemorySyncService(mailboxes);
    final InMemoryMessageService messages = new InMemoryMessageService(mailboxes);
    ApiServer api;

    @BeforeAll
    void start() throws Exception {
        api = new ApiServer(mailboxes, sync, messages, new TestAuthenticator());
    }

    @AfterAll
    void stop() {
        api.close();
    }

    @BeforeEach
    void servicesPresent() {
        api.services(sync, messages);
    }

    /** A new mailbox of {@code user} with an address of its own. */
    MailboxId connect(String user, SettingsUpdate settings) {
        return mailboxes.connect(user, user + SEQ.incrementAndGet() + "@example.org", settings).id();
    }

    MailboxId connect(String user) {
        return connect(user, SettingsUpdate.NONE);
    }

    /** An error answer: the status, a JSON body with the code and a message. */
    static void assertError(Reply r, int status, String code) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.errorCode()).isEqualTo(code);
        assertThat(r.json().at("/error/message").asText()).isNotBlank();
    }
}
