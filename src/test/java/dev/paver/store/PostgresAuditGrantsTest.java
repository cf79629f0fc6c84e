package dev.paver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.audit.AuditEntry;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * On PostgreSQL, Paver's role (not a superuser), having run the migrations itself and so owning the tables, may only
 * add to the audit log and read it: updating, deleting or truncating entries is refused by the database.
 */
class PostgresAuditGrantsTest {

    private static final Instant T0 = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    private static EmbeddedPostgres postgres;
    private static JdbcTemplate paver;

    @BeforeAll
    static void start() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        JdbcTemplate admin = new JdbcTemplate(postgres.getPostgresDatabase());
        admin.execute("CREATE ROLE paver LOGIN NOSUPERUSER");
        admin.execute("CREATE DATABASE paver OWNER paver");
        DataSource asPaver = postgres.getDatabase("paver", "paver");
        Flyway.configure().dataSource(asPaver).load().migrate();
        paver = new JdbcTemplate(asPaver);
    }

    @AfterAll
    static void stop() throws Exception {
        postgres.close();
    }

    @Test
    void paversRoleOwnsTheAuditLogButMayOnlyInsertAndReadIt() {
        assertThat(paver.queryForObject("SELECT tableowner FROM pg_tables WHERE tablename = 'audit_log'", String.class))
                .isEqualTo("paver");
        JdbcAuditLog audit = new JdbcAuditLog(paver);
        audit.append(new AuditEntry(T0, "U0ALEX", "approve", "payments-prod-api", "r1", "BUTTON", "promote: approved"));
        audit.append(new AuditEntry(T0.plusSeconds(1), "U0DANA", "request", "payments-prod-api", "r2", "TYPED", "elevate"));
        assertThat(audit.recent(Set.of("payments-prod-api"), 10)).extracting(AuditEntry::runId).containsExactly("r2", "r1");

        for (String edit : List.of("UPDATE audit_log SET actor = 'U0MALLORY' WHERE run_id = 'r1'",
                "DELETE FROM audit_log WHERE run_id = 'r1'", "TRUNCATE audit_log")) {
            assertThatThrownBy(() -> paver.execute(edit)).as(edit)
                    .isInstanceOf(DataAccessException.class)
                    .rootCause().hasMessageContaining("permission denied for table audit_log");
        }
        assertThat(audit.recent(Set.of("payments-prod-api"), 10)).extracting(AuditEntry::actor)
                .containsExactly("U0DANA", "U0ALEX");
        assertThat(paver.update("UPDATE runs SET outcome = outcome WHERE id = 'none'")).as("other tables as before").isZero();
    }
}
