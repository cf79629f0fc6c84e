package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.convention.Conventions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code /platform runs} and {@code /platform status}: which runs a person finds, by requester, key, service and id. */
class RunFinderTest {

    private final InMemoryRunStore store = new InMemoryRunStore();
    private final RunFinder finder = new RunFinder(store, Conventions.defaults());
    private int clock;

    /** Stores a run of {@code requester} whose request has the given platform values and parameters. */
    private Run run(String id, String requester, String path, Map<String, Object> parameters, Map<String, Object> platform) {
        Instant at = Instant.parse("2026-12-06T10:00:00Z").plusSeconds(clock++);
        Run run = new Run(id, new RunRequest(path, parameters, platform, requester, RunRequest.Origin.TYPED, "C0PAYMENTS"),
                at, RunState.WAITING, List.of(), null, "", "", at, Set.of());
        store.insert(run);
        return run;
    }

    private void someRuns() {
        run("r1", "U0DANA", "create-service", Map.of("service", "api"), Map.of("domain", "payments"));
        run("r2", "U0SAM", "promote", Map.of("service", "api", "environment", "prod"), Map.of("domain", "payments", "environment", "prod"));
        run("r3", "U0DANA", "elevate", Map.of(), Map.of("domain", "payments", "namespace", "payments-dev-api"));
        run("r4", "U0SAM", "create-service", Map.of("service", "api"), Map.of("domain", "shipping"));
        run("r5", "U0SAM", "create-service", Map.of("service", "ledger"), Map.of("domain", "payments"));
    }

    @Test
    void aPersonFindsTheirOwnRunsNewestFirst() {
        someRuns();
        assertThat(finder.mine("U0DANA").runs()).extracting(Run::id).containsExactly("r3", "r1");
        assertThat(finder.mine("U0NOBODY").runs()).isEmpty();
    }

    @Test
    void aKeyFindsItsNamespaceAndItsServiceAsAWholeNotOtherEnvironmentsOrDomains() {
        someRuns();
        assertThat(finder.about("payments-dev-api").runs()).extracting(Run::id).containsExactly("r3", "r1");
        assertThat(finder.about("payments-prod-api").runs()).extracting(Run::id).containsExactly("r2", "r1");
    }

    @Test
    void aServiceFindsEveryEnvironmentOfItAndAQualifiedOneOnlyItsDomain() {
        someRuns();
        assertThat(finder.about("api").runs()).extracting(Run::id).containsExactly("r4", "r3", "r2", "r1");
        assertThat(finder.about("payments/api").runs()).extracting(Run::id).containsExactly("r3", "r2", "r1");
        assertThat(finder.about("shipping/api").runs()).extracting(Run::id).containsExactly("r4");
        assertThat(finder.about("checkout").runs()).isEmpty();
    }

    @Test
    void onlyTheNewestAreListedAndTheAnswerSaysThereAreMore() {
        for (int i = 0; i < RunFinder.SHOWN + 3; i++) {
            run("r" + i, "U0DANA", "create-service", Map.of("service", "api"), Map.of("domain", "payments"));
        }
        RunFinder.Found mine = finder.mine("U0DANA");
        assertThat(mine.runs()).hasSize(RunFinder.SHOWN).first().extracting(Run::id).isEqualTo("r" + (RunFinder.SHOWN + 2));
        assertThat(mine.more()).isTrue();
        assertThat(finder.about("api").more()).isTrue();
        assertThat(finder.about("payments-dev-api").runs()).hasSize(RunFinder.SHOWN);
    }

    @Test
    void badQueriesAndIdsAreRefusedWithWhatToType() {
        assertThatThrownBy(() -> finder.about("Payments_Prod")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("payments-prod-api");
        assertThatThrownBy(() -> finder.about("payments/")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("neither a key");
        assertThatThrownBy(() -> finder.byId("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("A run id is letters, digits and '-'");
        assertThat(finder.byId("rnothere")).isEmpty();
    }

    @Test
    void anIdFindsItsRunAsTypedOrQuotedInBackticks() {
        someRuns();
        assertThat(finder.byId("r2")).map(Run::id).contains("r2");
        assertThat(finder.byId("`r2`")).map(Run::id).contains("r2");
    }
}
