package io.postroom.testing.host;

import static org.assertj.core.api.Assertions.assertThat;

import io.postroom.api.TenantId;
import io.postroom.api.UserId;
import io.postroom.api.spi.User;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

class TestHostTest {

    @Test
    void everyNewTenantHasTheSameUsersAndNothingElseIsKnown() {
        TestHost host = new TestHost();
        TenantId a = host.newTenant("a");
        TenantId b = host.newTenant("b");
        assertThat(host.tenant(a)).get().extracting(t -> t.id()).isEqualTo(a);
        assertThat(host.users(a)).extracting(User::id).containsExactlyInAnyOrder(TestHost.ALICE, TestHost.ANNA, TestHost.BOB,
                TestHost.CAROL, TestHost.DAVE, TestHost.ERIN, TestHost.FRED, TestHost.PAT);
        assertThat(host.users(b)).hasSize(8);
        assertThat(host.user(a, TestHost.CAROL).orElseThrow().isManager()).isTrue();
        assertThat(host.user(a, TestHost.DAVE).orElseThrow().isAdmin()).isTrue();
        assertThat(host.user(a, TestHost.ANNA).orElseThrow().displayName()).isEqualTo("Anna Koval");

        assertThat(host.tenant(TenantId.of("unknown"))).isEmpty();
        assertThat(host.users(TenantId.of("unknown"))).isEmpty();
        assertThat(host.user(a, UserId.of("mallory"))).isEmpty();
    }

    @Test
    void plansGoByUser() {
        TestHost host = new TestHost();
        TenantId t = host.newTenant("t");
        assertThat(host.plan(t, TestHost.FRED)).isEqualTo(TestHost.FREE);
        assertThat(host.plan(t, TestHost.PAT)).isEqualTo(TestHost.PROFESSIONAL);
        assertThat(host.plan(t, TestHost.ANNA)).isEqualTo(TestHost.STANDARD);
        assertThat(TestHost.FREE.maxMailboxesPerUser()).isEqualTo(1);
        assertThat(TestHost.FREE.sharedMailboxes()).isFalse();
        assertThat(TestHost.PROFESSIONAL.unlimitedMailboxes()).isTrue();
    }

    @Test
    void theEventAdminRecordsAndActsOnceOnTheFirstEventOfATopic() {
        RecordingEventAdmin events = new RecordingEventAdmin();
        AtomicInteger fired = new AtomicInteger();
        events.onFirst("a/b", fired::incrementAndGet);
        events.postEvent(new Event("x/y", Map.of()));
        events.sendEvent(new Event("a/b", Map.of("n", 1)));
        events.postEvent(new Event("a/b", Map.of("n", 2)));

        assertThat(fired).hasValue(1);
        assertThat(events.topics()).containsExactly("x/y", "a/b", "a/b");
        assertThat(events.topic("a/b")).extracting(e -> e.getProperty("n")).containsExactly(1, 2);
        assertThat(events.last().getProperty("n")).isEqualTo(2);

        events.clear();
        events.postEvent(new Event("a/b", Map.of()));
        assertThat(fired).as("clear() stops acting").hasValue(1);
        assertThat(events.events()).hasSize(1);
        assertThat(events.topics()).isEqualTo(List.of("a/b"));
    }
}
