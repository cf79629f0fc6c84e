package dev.paver.core.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.convention.Conventions;
import dev.paver.core.goldenpath.PlatformCatalog;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code /platform audit <query>}: a semantic key, a group, and what is refused. */
class AuditTrailTest {

    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    /** payments owns checkout (team-payments) with api (team-payments) and web (the system's owner), ledger's books (team-ledger). */
    private static final PlatformCatalog CATALOG = new PlatformCatalog(
            Map.of("checkout", new PlatformCatalog.SystemEntry("checkout", "payments", "team-payments"),
                    "books", new PlatformCatalog.SystemEntry("books", "ledger", "team-ledger")),
            Map.of("team-payments", "cc-4711", "team-ledger", "cc-4712", "team-idle", "cc-1"),
            Map.of("api", new PlatformCatalog.ServiceEntry("api", "checkout", "team-payments", "payments"),
                    "web", new PlatformCatalog.ServiceEntry("web", "checkout", "", "payments"),
                    "journal", new PlatformCatalog.ServiceEntry("journal", "books", "team-ledger", "ledger")),
            Map.of("payments", "team-payments", "ledger", "team-ledger"), Map.of());

    private final InMemoryAuditLog log = new InMemoryAuditLog();
    private final AuditTrail trail = new AuditTrail(log, Conventions.defaults());

    private void entry(int minute, String actor, String action, String subject) {
        log.append(new AuditEntry(T.plusSeconds(60L * minute), actor, action, subject, "r" + minute, "PAVER", action));
    }

    @Test
    void aSemanticKeyShowsThatEnvironmentAndWhatConcernedEveryEnvironmentOfTheService() {
        entry(1, "U0DANA", "request", "payments/api");
        entry(2, "U0ALEX", "approve", "payments-prod-api");
        entry(3, "U0DANA", "request", "payments-dev-api");
        entry(4, "U0DANA", "request", "payments/web");

        assertThat(trail.recent("payments-prod-api", CATALOG, "U0SAM").entries())
                .extracting(AuditEntry::runId).containsExactly("r2", "r1");
    }

    @Test
    void aGroupShowsEverythingAboutTheServicesItOwnsInEveryEnvironment() {
        entry(1, "U0DANA", "request", "payments/api");
        entry(2, "U0ALEX", "grant", "payments-prod-api");
        entry(3, "U0DANA", "deploy", "payments-dev-web"); // web names no owner: its system's, team-payments
        entry(4, "U0LENA", "request", "ledger/journal");
        entry(5, "U0LENA", "request", "payments"); // the domain itself: not a service of the group

        assertThat(trail.recent("team-payments", CATALOG, "U0SAM").entries())
                .extracting(AuditEntry::runId).containsExactly("r3", "r2", "r1");
        assertThat(trail.recent("team-ledger", CATALOG, "U0SAM").entries())
                .extracting(AuditEntry::runId).containsExactly("r4");
        assertThat(trail.recent("team-idle", CATALOG, "U0SAM").entries()).as("a group that owns nothing yet").isEmpty();
    }

    @Test
    void aNameThatIsNothingPaverKnowsIsRefusedNamingWhatItMayBe() {
        assertThatThrownBy(() -> trail.recent("team-nobody", CATALOG, "U0SAM"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is neither a key {domain}-{env}-{service}, a service in the catalog, a domain nor a group");
    }
}
