package dev.paver.store;

import static dev.paver.store.StoreFixtures.atOnce;
import static dev.paver.store.StoreFixtures.grant;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.access.Grant;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Grants on H2: one extension per expiry, one reminder per expiry, one revocation, whoever else tries at once. */
class JdbcGrantStoreTest {

    private static final Instant T0 = Instant.parse("2025-03-04T09:15:00.123Z");
    private static final Instant END = T0.plus(Duration.ofHours(2));

    private JdbcGrantStore store;

    @BeforeEach
    void migrateAFreshDatabase() {
        store = new JdbcGrantStore(new JdbcTemplate(StoreFixtures.h2()));
    }

    @Test
    void findsAGrantAsItWasStored() {
        Grant grant = grant("e1", T0, END);

        assertThat(store.insertIfAbsent(grant)).isEqualTo(grant);

        assertThat(store.find("e1")).contains(grant);
        assertThat(store.find("e-unknown")).isEmpty();
    }

    @Test
    void aSecondGrantForTheSameRunGetsTheFirstOneBack() {
        Grant first = store.insertIfAbsent(grant("e1", T0, END));

        Grant stored = store.insertIfAbsent(grant("e1", T0.plusSeconds(60), END.plusSeconds(60)));

        assertThat(stored).isEqualTo(first);
        assertThat(store.find("e1").orElseThrow().expiresAt()).isEqualTo(END);
    }

    @Test
    void listsActiveGrantsSoonestExpiryFirst() {
        store.insertIfAbsent(grant("late", T0, END.plusSeconds(600)));
        store.insertIfAbsent(grant("soon", T0, END));
        store.insertIfAbsent(grant("gone", T0, END.minusSeconds(600)));
        store.revoked("gone", END.minusSeconds(600));

        assertThat(store.active()).extracting(Grant::runId).containsExactly("soon", "late");
    }

    @Test
    void extendsFromTheExpiryItIsAtOnly() {
        store.insertIfAbsent(grant("e1", T0, END));
        Instant later = END.plus(Duration.ofHours(1));

        assertThat(store.extend("e1", END, later, "U0LENA")).isTrue();
        assertThat(store.extend("e1", END, later.plusSeconds(60), "U0OMAR")).as("already extended").isFalse();

        Grant extended = store.find("e1").orElseThrow();
        assertThat(extended.expiresAt()).isEqualTo(later);
        assertThat(extended.approver()).isEqualTo("U0LENA");
    }

    @Test
    void aRevokedGrantIsNotExtended() {
        store.insertIfAbsent(grant("e1", T0, END));
        store.revoked("e1", END);

        assertThat(store.extend("e1", END, END.plusSeconds(3600), "U0LENA")).isFalse();
        assertThat(store.find("e1").orElseThrow().expiresAt()).isEqualTo(END);
    }

    @Test
    void revokesOnceAndKeepsWhen() {
        store.insertIfAbsent(grant("e1", T0, END));

        assertThat(store.revoked("e1", END.plusMillis(250))).isTrue();
        assertThat(store.revoked("e1", END.plusSeconds(30))).as("second pass").isFalse();

        Grant revoked = store.find("e1").orElseThrow();
        assertThat(revoked.state()).isEqualTo(Grant.State.REVOKED);
        assertThat(revoked.revokedAt()).isEqualTo(END.plusMillis(250));
        assertThat(store.active()).isEmpty();
        assertThat(store.revoked("e-unknown", END)).isFalse();
    }

    @Test
    void twoPassesAtOnceRevokeExactlyOnce() throws Exception {
        for (int round = 0; round < 10; round++) {
            String runId = "race" + round;
            store.insertIfAbsent(grant(runId, T0, END));

            List<Boolean> revoked = atOnce(() -> store.revoked(runId, END), () -> store.revoked(runId, END.plusMillis(1)));

            assertThat(revoked).as("revocations, round " + round).containsExactlyInAnyOrder(true, false);
        }
    }
}
