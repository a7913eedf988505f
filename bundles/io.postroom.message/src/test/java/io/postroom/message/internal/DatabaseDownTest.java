package io.postroom.message.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.postroom.api.Actor;
import io.postroom.api.ErrorCode;
import io.postroom.api.PostroomException;
import io.postroom.api.TenantId;
import io.postroom.api.message.MessageId;
import io.postroom.api.message.MessageQuery;
import io.postroom.persistence.Stores;
import io.postroom.protocol.ConnectorConfig;
import io.postroom.protocol.MailConnectors;
import io.postroom.testing.db.TestDatabase;
import io.postroom.testing.db.TestDatabases;
import io.postroom.testing.host.TestHost;
import org.junit.jupiter.api.Test;

/** Without its database the service answers {@code unavailable}, and bad arguments are refused before it is asked. */
class DatabaseDownTest {

    @Test
    void aDatabaseThatIsGoneMakesTheServiceUnavailable() {
        TestHost host = new TestHost();
        TenantId tenant = host.newTenant("down");
        Actor anna = new Actor(tenant, TestHost.ANNA);
        TestDatabase db = TestDatabases.h2();
        try (Stores stores = Stores.open(db.dataSource())) {
            MessageServiceImpl service = new MessageServiceImpl(stores.messages(), stores.mailboxes(), host, null,
                    MailConnectors.create(ConnectorConfig.defaults()), 4096, MessageServiceImpl.MAILBOXES_PER_QUERY);
            try {
                assertThat(service.list(anna, new MessageQuery(null, null, null, 10)).messages()).isEmpty();

                assertThat(catchThrowableOfType(() -> service.list(anna, null), PostroomException.class).details())
                        .containsEntry("field", "query");
                assertThat(catchThrowableOfType(() -> service.get(anna, null), PostroomException.class).details())
                        .containsEntry("field", "id");

                db.close();
                // (list asks the JPA mailbox store first, which retries a lost database for seconds: left out to stay fast)
                for (var call : java.util.List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                        () -> service.get(anna, MessageId.of(1)),
                        () -> service.thread(anna, MessageId.of(1)), () -> service.openAttachment(anna, MessageId.of(1), 1))) {
                    PostroomException e = catchThrowableOfType(call, PostroomException.class);
                    assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                    assertThat(e.getMessage()).contains("database is not available");
                }
            } finally {
                service.deactivate();
            }
        }
    }
}
