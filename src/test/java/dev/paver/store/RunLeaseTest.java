package dev.paver.store;

import static dev.paver.store.StoreFixtures.atOnce;
import static dev.paver.store.StoreFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.run.Run;
import dev.paver.core.run.RunState;
import dev.paver.core.run.RunStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Two replicas' stores on one database, H2 and a real PostgreSQL (embedded binaries, loopback): one of them holds a
 * run's lease at a time, a lease that expired is taken over, and a replica that lost it writes nothing.
 */
class RunLeaseTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00.123456Z");
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    /** Replicas a and b on one fresh, migrated database of the kind named. */
    private record Replicas(JdbcRunStore a, JdbcRunStore b) {
    }

    private static Replicas replicas(String database) {
        DataSource dataSource;
        if (database.equals("postgresql")) {
            String name = "leases" + DATABASES.incrementAndGet();
            new JdbcTemplate(postgres.getPostgresDatabase()).execute("CREATE DATABASE " + name);
            dataSource = postgres.getDatabase("postgres", name);
            Flyway.configure().dataSource(dataSource).load().migrate();
        } else {
            dataSource = StoreFixtures.h2();
        }
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        return new Replicas(new JdbcRunStore(jdbc, "paver-7d9f-a1b2c3d4"), new JdbcRunStore(jdbc, "paver-7d9f-e5f60718"));
    }

    private static Run waiting(String id) {
        return run(id, "U0DANA", T0, RunState.WAITING, T0.plusSeconds(3600));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void oneReplicaHoldsARunAtATimeUntilItReleasesIt(String database) {
        Replicas r = replicas(database);
        r.a().insert(waiting("r1"));

        assertThat(r.a().claim("r1", T0.plusSeconds(60), T0)).isTrue();
        assertThat(r.b().claim("r1", T0.plusSeconds(61), T0.plusSeconds(1))).as("held by a").isFalse();
        assertThat(r.a().claim("r1", T0.plusSeconds(62), T0.plusSeconds(2))).as("a's own, extended").isTrue();

        r.b().release("r1");
        assertThat(r.b().claim("r1", T0.plusSeconds(63), T0.plusSeconds(3))).as("b cannot release a's lease").isFalse();

        r.a().release("r1");
        assertThat(r.b().claim("r1", T0.plusSeconds(64), T0.plusSeconds(4))).as("free after a released it").isTrue();
        assertThat(r.a().claim("r1", T0.plusSeconds(65), T0.plusSeconds(5))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aLeaseThatExpiredIsTakenOverAndItsFormerHolderWritesNothing(String database) {
        Replicas r = replicas(database);
        r.a().insert(waiting("r1"));
        assertThat(r.a().claim("r1", T0.plusSeconds(60), T0)).isTrue();

        assertThat(r.b().claim("r1", T0.plusSeconds(119), T0.plusSeconds(59))).as("not yet expired").isFalse();
        assertThat(r.b().claim("r1", T0.plusSeconds(120), T0.plusSeconds(60))).as("expired at its end").isTrue();

        Run stale = run("r1", "U0DANA", T0, RunState.FAILED, null);
        assertThatThrownBy(() -> r.a().update(stale)).isInstanceOf(RunStore.LeaseLost.class)
                .hasMessageContaining("r1").hasMessageContaining("paver-7d9f-e5f60718");
        assertThat(r.a().find("r1").orElseThrow().state()).as("the former holder wrote nothing").isEqualTo(RunState.WAITING);
        assertThat(r.a().renew("r1", T0.plusSeconds(200))).as("nor renews b's lease").isFalse();
        r.a().release("r1");

        r.b().update(run("r1", "U0DANA", T0, RunState.SUCCEEDED, null));
        assertThat(r.b().find("r1").orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void aRunIsWrittenOnlyUnderItsLease(String database) {
        Replicas r = replicas(database);
        r.a().insert(waiting("r1"));

        assertThatThrownBy(() -> r.a().update(waiting("r1"))).as("never claimed").isInstanceOf(RunStore.LeaseLost.class);
        assertThat(r.a().renew("r1", T0.plusSeconds(60))).as("a renewal takes no free lease").isFalse();
        assertThat(r.a().claim("r1", T0.plusSeconds(60), T0)).isTrue();
        r.a().update(run("r1", "U0DANA", T0, RunState.RUNNING, null));
        r.a().release("r1");
        assertThatThrownBy(() -> r.a().update(waiting("r1"))).as("released").isInstanceOf(RunStore.LeaseLost.class);

        assertThat(r.a().find("r1").orElseThrow().state()).isEqualTo(RunState.RUNNING);
        assertThat(r.a().claim("r-unknown", T0.plusSeconds(60), T0)).isFalse();
        assertThatThrownBy(() -> r.a().update(waiting("r-unknown"))).isNotInstanceOf(RunStore.LeaseLost.class)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not stored");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql"})
    void ofTwoReplicasClaimingAtOnceOneGetsTheRun(String database) throws Exception {
        Replicas r = replicas(database);
        for (int i = 0; i < 20; i++) {
            String id = "race-" + i;
            r.a().insert(waiting(id));
            Instant now = T0.plusSeconds(i);

            List<Boolean> claimed = atOnce(() -> r.a().claim(id, now.plusSeconds(60), now),
                    () -> r.b().claim(id, now.plusSeconds(60), now));

            assertThat(claimed).as("round " + i).containsExactlyInAnyOrder(true, false);
        }
    }

    @Test
    void refusesAnOwnerIdThatTheColumnCannotHold() {
        JdbcTemplate jdbc = new JdbcTemplate(StoreFixtures.h2());
        assertThatThrownBy(() -> new JdbcRunStore(jdbc, " ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1 to 100 characters");
        assertThatThrownBy(() -> new JdbcRunStore(jdbc, "p".repeat(101))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReplicaIdIsTheHostNameAndARandomSuffix() {
        String first = StoreConfiguration.replicaId("paver-7d9f8c6b5-x2k4q");
        String second = StoreConfiguration.replicaId("paver-7d9f8c6b5-x2k4q");

        assertThat(first).matches("paver-7d9f8c6b5-x2k4q-[0-9a-f]{8}");
        assertThat(second).as("a restart with the same pod name is another owner").isNotEqualTo(first);
        assertThat(StoreConfiguration.replicaId("h".repeat(300))).hasSize(89);
        assertThat(StoreConfiguration.replicaId("")).matches("paver-[0-9a-f]{8}");
    }

    @Test
    void aSingleProcessDatabaseForgetsTheLeasesOfAProcessThatStopped() {
        JdbcTemplate jdbc = new JdbcTemplate(StoreFixtures.h2());
        JdbcRunStore killed = new JdbcRunStore(jdbc, "paver-host-0000dead");
        killed.insert(waiting("r1"));
        killed.insert(waiting("r2"));
        assertThat(killed.claim("r1", T0.plusSeconds(60), T0)).isTrue();
        JdbcRunStore restarted = new JdbcRunStore(jdbc, "paver-host-1111beef");
        assertThat(restarted.claim("r1", T0.plusSeconds(61), T0.plusSeconds(1))).isFalse();

        assertThat(restarted.clearLeases()).isEqualTo(1);

        assertThat(restarted.claim("r1", T0.plusSeconds(61), T0.plusSeconds(1))).as("at once, not after the lease").isTrue();
        assertThat(StoreConfiguration.oneProcessOnly("jdbc:h2:file:./data/paver;DB_CLOSE_ON_EXIT=FALSE")).isTrue();
        assertThat(StoreConfiguration.oneProcessOnly("jdbc:h2:./data/paver")).isTrue();
        assertThat(StoreConfiguration.oneProcessOnly("jdbc:h2:file:./data/paver;AUTO_SERVER=TRUE")).isFalse();
        assertThat(StoreConfiguration.oneProcessOnly("jdbc:h2:tcp://db:9092/paver")).isFalse();
        assertThat(StoreConfiguration.oneProcessOnly("jdbc:h2:mem:paver")).isFalse();
        assertThat(StoreConfiguration.oneProcessOnly("jdbc:postgresql://db:5432/paver")).isFalse();
    }
}
