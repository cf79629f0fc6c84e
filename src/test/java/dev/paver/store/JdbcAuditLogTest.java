package dev.paver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.audit.AuditEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The audit log on H2: what was appended is read back per subject, newest first, and exported oldest first. */
class JdbcAuditLogTest {

    private static final Instant T0 = Instant.parse("2025-03-04T09:15:00.123Z");

    private JdbcAuditLog log;

    @BeforeEach
    void migrateAFreshDatabase() {
        log = new JdbcAuditLog(new JdbcTemplate(StoreFixtures.h2()));
    }

    private static AuditEntry entry(int second, String action, String subject) {
        return new AuditEntry(T0.plusSeconds(second), "U0DANA", action, subject, "r1", "BUTTON", action + " at " + second);
    }

    @Test
    void readsAnEntryBackAsAppended() {
        AuditEntry entry = new AuditEntry(T0, "paver", "revoke", "payments-prod-api", null, "PAVER",
                "operator (edit) for U0DANA, expired at 11:15");

        log.append(entry);

        assertThat(log.recent(List.of("payments-prod-api"), 10)).containsExactly(entry);
        assertThat(log.recent(List.of("payments-prod-api"), 10).get(0).runId()).isEmpty();
    }

    @Test
    void listsTheNewestEntriesOfTheAskedSubjectsOnly() {
        log.append(entry(0, "request", "payments-prod-api"));
        log.append(entry(3, "approve", "payments-prod-api"));
        log.append(entry(1, "request", "payments/ledger"));
        log.append(entry(2, "request", "search-prod-api"));
        log.append(entry(4, "merge", "payments/ledger"));

        assertThat(log.recent(Set.of("payments-prod-api", "payments/ledger"), 3)).extracting(AuditEntry::detail)
                .containsExactly("merge at 4", "approve at 3", "request at 1");
        assertThat(log.recent(List.of("search-prod-api"), 10)).extracting(AuditEntry::action).containsExactly("request");
        assertThat(log.recent(List.of(), 10)).isEmpty();
        assertThat(log.recent(List.of("payments-prod-api"), 0)).isEmpty();
    }

    @Test
    void entriesAtTheSameInstantAreNewestAppendedFirst() {
        log.append(entry(5, "approve", "payments-prod-api"));
        log.append(entry(5, "grant", "payments-prod-api"));

        assertThat(log.recent(List.of("payments-prod-api"), 10)).extracting(AuditEntry::action)
                .containsExactly("grant", "approve");
    }

    @Test
    void exportsEverythingSinceOldestFirst() {
        log.append(entry(2, "approve", "payments-prod-api"));
        log.append(entry(0, "request", "payments-prod-api"));
        log.append(entry(1, "request", "search-prod-api"));
        log.append(entry(2, "grant", "payments-prod-api"));
        List<AuditEntry> exported = new ArrayList<>();

        log.export(T0.plusSeconds(1), exported::add);

        assertThat(exported).extracting(AuditEntry::detail).containsExactly("request at 1", "approve at 2", "grant at 2");
        assertThat(exported.get(0)).isEqualTo(entry(1, "request", "search-prod-api"));
    }

    @Test
    void aFailingSinkStopsTheExportWithItsOwnException() {
        for (int i = 0; i < 5; i++) {
            log.append(entry(i, "request", "payments-prod-api"));
        }
        List<AuditEntry> written = new ArrayList<>();
        IllegalStateException closed = new IllegalStateException("download closed");

        assertThatThrownBy(() -> log.export(T0, e -> {
            if (written.size() == 2) {
                throw closed;
            }
            written.add(e);
        })).isSameAs(closed);
        assertThat(written).extracting(AuditEntry::detail).containsExactly("request at 0", "request at 1");
    }

    @Test
    void aDomainFindsItsKeysAndServicesOnlyAndAPersonWhatTheyDid() {
        log.append(entry(0, "request", "payments-prod-api"));
        log.append(entry(1, "request", "payments/ledger"));
        log.append(entry(2, "request", "payments"));
        log.append(entry(3, "request", "paymentsx-prod-api"));
        log.append(entry(4, "request", "pay_ments-dev-api"));
        log.append(new AuditEntry(T0.plusSeconds(5), "U0ALEX", "approve", "payments-prod-api", "r1", "BUTTON", "by Alex"));

        assertThat(log.recentIn("payments", 10)).extracting(AuditEntry::detail)
                .containsExactly("by Alex", "request at 2", "request at 1", "request at 0");
        assertThat(log.recentIn("pay_ments", 10)).as("_ is no wildcard").extracting(AuditEntry::detail).containsExactly("request at 4");
        assertThat(log.recentIn("pay%", 10)).as("nor is %").isEmpty();
        assertThat(log.recentBy("U0ALEX", 10)).extracting(AuditEntry::detail).containsExactly("by Alex");
        assertThat(log.recentBy("U0DANA", 2)).extracting(AuditEntry::detail).containsExactly("request at 4", "request at 3");
    }
}
