package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.convention.Conventions;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.RequestCheck;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CardBuilderTest {

    private static String title(String pathId, Map<String, String> given) {
        GoldenPath path = GoldenPathFixtures.templates().find(pathId).orElseThrow();
        RequestCheck.Accepted accepted = (RequestCheck.Accepted) new RequestCheck(Conventions.defaults())
                .check(path, given, GoldenPathFixtures.paymentsCatalog(), false);
        Run run = new Run("r1", new RunRequest(pathId, accepted.parameters(), accepted.platform(), "U0DANA",
                RunRequest.Origin.TYPED, "C0PAYMENTS"), Instant.EPOCH, RunState.RUNNING, List.of(), null, null, "",
                Instant.EPOCH, Set.of());
        return CardBuilder.card(run, path, List.of()).title();
    }

    @Test
    void titlesARunWithItsDomainAndWhatItIsAbout() {
        assertThat(title("create-system", Map.of("system", "ledger", "domain", "payments", "owner", "team-payments")))
                .isEqualTo("create-system payments/ledger");
    }

    @Test
    void namesADomainOnceWhenTheRunIsAboutTheDomainItself() {
        assertThat(title("create-domain", Map.of("domain", "shipping", "owner", "team-payments")))
                .isEqualTo("create-domain shipping");
    }
}
