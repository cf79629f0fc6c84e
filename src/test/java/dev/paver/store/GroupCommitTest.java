package dev.paver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes that arrive while a commit is under way share the next transaction, on H2 and on a real PostgreSQL (where a
 * failed statement aborts the whole transaction): each caller returns once its own row is committed, and a duplicate
 * key fails only its own caller.
 */
class GroupCommitTest {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    static Stream<Arguments> databases() {
        return Stream.of(Arguments.of("H2", StoreFixtures.emptyH2()), Arguments.of("PostgreSQL", postgres.getPostgresDatabase()));
    }

    /** A group commit on a fresh table {@code keys(id)}; {@code first} is held until {@code release} opens. */
    private static final class Table {
        final JdbcTemplate jdbc;
        final String name = "keys_" + Long.toHexString(System.nanoTime());
        final CountDownLatch release = new CountDownLatch(1);
        /** For each written id: whether it was written inside a transaction shared with others. */
        final Map<String, Boolean> inTransaction = new ConcurrentHashMap<>();
        final GroupCommit<String> commits;

        Table(DataSource dataSource) {
            jdbc = new JdbcTemplate(dataSource);
            jdbc.execute("CREATE TABLE " + name + " (id VARCHAR(20) NOT NULL PRIMARY KEY)");
            commits = new GroupCommit<>(new TransactionTemplate(new DataSourceTransactionManager(dataSource)), id -> {
                if (id.equals("first")) {
                    await(release);
                }
                inTransaction.put(id, TransactionSynchronizationManager.isActualTransactionActive());
                jdbc.update("INSERT INTO " + name + " (id) VALUES (?)", id);
            });
        }

        List<String> stored() {
            return jdbc.queryForList("SELECT id FROM " + name + " ORDER BY id", String.class);
        }
    }

    /** Writes {@code first}, then, while it is held, each of {@code ids} from a thread of its own. */
    private static List<Future<?>> writeWhileFirstIsHeld(Table table, ExecutorService pool, String... ids) throws Exception {
        Future<?> first = pool.submit(() -> table.commits.write("first"));
        List<Future<?>> writes = new ArrayList<>();
        writes.add(first);
        Thread.sleep(100); // "first" holds the commit
        for (String id : ids) {
            writes.add(pool.submit(() -> table.commits.write(id)));
        }
        for (int wait = 0; wait < 100 && table.commits.queued() < ids.length; wait++) {
            Thread.sleep(50);
        }
        assertThat(table.commits.queued()).as("every write waits for the commit under way").isEqualTo(ids.length);
        table.release.countDown();
        return writes;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void writesThatArriveDuringACommitShareTheNextOne(String database, DataSource dataSource) throws Exception {
        Table table = new Table(dataSource);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            for (Future<?> write : writeWhileFirstIsHeld(table, pool, "a", "b", "c", "d")) {
                write.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(table.stored()).containsExactly("a", "b", "c", "d", "first");
        assertThat(table.inTransaction).as("the lone write commits on its own, the four queued share a transaction")
                .containsExactlyInAnyOrderEntriesOf(Map.of("first", false, "a", true, "b", true, "c", true, "d", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aDuplicateKeyFailsOnlyItsOwnCaller(String database, DataSource dataSource) throws Exception {
        Table table = new Table(dataSource);
        table.jdbc.update("INSERT INTO " + table.name + " (id) VALUES ('taken')");
        ExecutorService pool = Executors.newFixedThreadPool(5);
        List<Future<?>> writes;
        try {
            writes = writeWhileFirstIsHeld(table, pool, "a", "taken", "c");
            for (Future<?> write : writes) {
                if (write != writes.get(2)) {
                    write.get(10, TimeUnit.SECONDS);
                }
            }
            assertThatThrownBy(() -> writes.get(2).get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(DuplicateKeyException.class);
        } finally {
            pool.shutdownNow();
        }
        assertThat(table.stored()).as("the others are stored, each on its own after the shared transaction rolled back")
                .containsExactly("a", "c", "first", "taken");
        assertThat(table.inTransaction).containsEntry("a", false).containsEntry("c", false);
    }

    private static void await(CountDownLatch latch) {
        try {
            assertThat(latch.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
