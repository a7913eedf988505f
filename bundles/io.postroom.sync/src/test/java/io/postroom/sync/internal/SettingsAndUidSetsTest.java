package io.postroom.sync.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.postroom.sync.SyncSettings;
import io.postroom.testing.ds.ComponentConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration to settings, their limits, and IMAP UID sets. */
class SettingsAndUidSetsTest {

    static SyncConfig config(Map<String, Object> values) {
        return ComponentConfig.of(SyncConfig.class, values);
    }

    @Test
    void theConfigurationBecomesTheEngineSettings() {
        SyncSettings defaults = SyncComponent.settings(config(Map.of()));
        assertThat(defaults.nodeId()).matches("[A-Za-z0-9._-]+-[0-9a-f]{6}");
        assertThat(defaults.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(defaults.workers()).isEqualTo(4);
        assertThat(defaults.parseThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(defaults.leaseTtl()).isEqualTo(Duration.ofSeconds(90));
        assertThat(defaults.batchMessages()).isEqualTo(200);
        assertThat(defaults.batchBytes()).isEqualTo(8L * 1024 * 1024);
        assertThat(defaults.quarantineAttempts()).isEqualTo(5);
        assertThat(defaults.backfill()).isTrue();
        assertThat(defaults.qresync()).isTrue();
        assertThat(defaults.maxHeaderBytes()).isEqualTo(1 << 20).isEqualTo(io.postroom.mime.ParseOptions.DEFAULT_MAX_HEADER_BYTES);

        SyncSettings custom = SyncComponent.settings(config(Map.of("nodeId", " crm-2 ", "pollSeconds", 2, "workers", 8,
                "parseThreads", 3, "leaseSeconds", 30, "batchMessages", 50, "batchKilobytes", 512, "quarantineAttempts", 2,
                "backfill", false, "qresync", false)));
        assertThat(custom.nodeId()).isEqualTo("crm-2");
        assertThat(custom.pollInterval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(custom.workers()).isEqualTo(8);
        assertThat(custom.parseThreads()).isEqualTo(3);
        assertThat(custom.leaseTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(custom.batchMessages()).isEqualTo(50);
        assertThat(custom.batchBytes()).isEqualTo(512 * 1024);
        assertThat(custom.quarantineAttempts()).isEqualTo(2);
        assertThat(custom.backfill()).isFalse();
        assertThat(custom.qresync()).isFalse();
        assertThat(SyncComponent.settings(config(Map.of("maxHeaderKilobytes", 64))).maxHeaderBytes()).isEqualTo(64 * 1024);
    }

    @Test
    void settingsRefuseValuesThatCannotWork() {
        SyncSettings d = SyncSettings.defaults();
        assertThatThrownBy(() -> d.withNodeId(" ")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeId");
        assertThatThrownBy(() -> d.withNodeId("x".repeat(65))).hasMessageContaining("nodeId");
        assertThatThrownBy(() -> d.withWorkers(0)).hasMessageContaining("workers");
        assertThatThrownBy(() -> d.withLeaseTtl(Duration.ZERO)).hasMessageContaining("leaseTtl");
        assertThatThrownBy(() -> d.withBatch(0, 1 << 20)).hasMessageContaining("batchMessages");
        assertThatThrownBy(() -> d.withBatch(10, 1000)).hasMessageContaining("batchBytes");
        assertThatThrownBy(() -> d.withQuarantineAttempts(0)).hasMessageContaining("quarantineAttempts");
        assertThatThrownBy(() -> d.withMaxHeaderBytes(4095)).hasMessageContaining("maxHeaderBytes");
        assertThatThrownBy(() -> d.withMaxHeaderBytes((16 << 20) + 1)).hasMessageContaining("maxHeaderBytes");
        // callers of the constructor without the header limit get the default; every with... keeps it
        assertThat(new SyncSettings(d.nodeId(), d.pollInterval(), d.workers(), d.parseThreads(), d.leaseTtl(), d.batchMessages(),
                d.batchBytes(), d.quarantineAttempts(), d.backfill(), d.backfillMessages(), d.backoffBase(), d.targetsRefresh(),
                d.dbRetries(), d.keepRuns(), d.qresync())).isEqualTo(d);
        assertThat(d.withMaxHeaderBytes(8192).withNodeId("n").withPollInterval(Duration.ofSeconds(1)).withWorkers(2)
                .withParseThreads(1).withLeaseTtl(Duration.ofSeconds(9)).withBatch(5, 1 << 20).withQuarantineAttempts(3)
                .withBackfill(false, 10).withBackoffBase(Duration.ofSeconds(2)).withTargetsRefresh(Duration.ofSeconds(3))
                .withDbRetries(2).withQresync(false).maxHeaderBytes()).isEqualTo(8192);
    }

    @Test
    void uidSetsAreCompactAndReadBack() {
        assertThat(UidSets.of(List.of(9L, 1L, 2L, 3L, 5L, 7L, 8L))).isEqualTo("1:3,5,7:9");
        assertThat(UidSets.of(List.of(4L))).isEqualTo("4");
        List<long[]> ranges = UidSets.parse("1:3,7,20:*", 25);
        assertThat(UidSets.contains(ranges, 2)).isTrue();
        assertThat(UidSets.contains(ranges, 7)).isTrue();
        assertThat(UidSets.contains(ranges, 25)).isTrue();
        assertThat(UidSets.contains(ranges, 5)).isFalse();
        assertThat(UidSets.contains(UidSets.parse("9:4", 100), 6)).isTrue();
    }

    @Test
    void rangesAreMergedForASearchByHalves() {
        // overlapping, adjacent, reversed and out of order, as a server may send them
        List<long[]> merged = UidSets.merged(UidSets.parse("40:50,1:100,200,201,150:120,7", 1000));
        assertThat(merged).extracting(r -> r[0] + ":" + r[1]).containsExactly("1:100", "120:150", "200:201");
        for (long uid : new long[] {1, 7, 45, 99, 100, 120, 150, 200, 201}) {
            assertThat(UidSets.containsSorted(merged, uid)).as("%d", uid).isTrue();
        }
        for (long uid : new long[] {0, 101, 119, 151, 199, 202, 5000}) {
            assertThat(UidSets.containsSorted(merged, uid)).as("%d", uid).isFalse();
        }
        assertThat(UidSets.containsSorted(UidSets.merged(List.of()), 1)).isFalse();
    }

    @Test
    void hintsSayWhatTheOwnerMustDo() {
        assertThat(MailboxRun.hint(io.postroom.api.ConnectionFailure.Kind.AUTHENTICATION)).contains("password");
        assertThat(MailboxRun.hint(io.postroom.api.ConnectionFailure.Kind.TIMEOUT)).contains("retried automatically");
        for (var kind : io.postroom.api.ConnectionFailure.Kind.values()) {
            assertThat(MailboxRun.hint(kind)).isNotBlank();
        }
    }

    /** Configuration Admin hands over any value: each bound of the metatype is checked on activation, naming the property. */
    @Test
    void theMetatypesBoundsAreEnforced() {
        assertThat(io.postroom.testing.ds.MetatypeBounds.assertEnforced(SyncConfig.class, SyncConfig.PID, SyncComponent::settings))
                .extracting(io.postroom.testing.ds.MetatypeBounds.Bound::id).contains("batchMessages", "maxHeaderKilobytes");
        assertThatThrownBy(() -> SyncComponent.settings(ComponentConfig.of(SyncConfig.class, Map.of("batchMessages", 100_000))))
                .hasMessage("batchMessages of io.postroom.sync must be between 1 and 5000, not 100000");
    }
}
