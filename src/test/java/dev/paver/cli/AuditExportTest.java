package dev.paver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.core.audit.AuditEntry;
import dev.paver.store.JdbcAuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

class AuditExportTest {

    @TempDir
    Path tmp;

    @Test
    void writesTheEntriesSinceADateAsJsonLinesOldestFirst() throws Exception {
        String url = "jdbc:h2:file:" + tmp.resolve("paver").toAbsolutePath();
        Path out = tmp.resolve("audit.jsonl");
        // the first run creates the schema (Flyway) and finds nothing
        assertThat(AuditExport.run(new String[] {"--spring.datasource.url=" + url, "--out=" + out})).isZero();
        assertThat(Files.readString(out)).isEmpty();

        JdbcAuditLog log = new JdbcAuditLog(new JdbcTemplate(new DriverManagerDataSource(url, "sa", "")));
        log.append(new AuditEntry(Instant.parse("2026-10-31T23:00:00Z"), "U0DANA", "request", "payments-prod-api", "r1", "TYPED", "old"));
        log.append(new AuditEntry(Instant.parse("2026-11-01T09:00:00Z"), "U0DANA", "request", "payments-prod-api", "r2", "TYPED",
                "elevate {role=operator}"));
        log.append(new AuditEntry(Instant.parse("2026-11-01T09:05:00Z"), "U0ALEX", "approve", "payments-prod-api", "r2", "BUTTON", "elevate"));

        assertThat(AuditExport.run(new String[] {"--spring.datasource.url=" + url, "--since=2026-11-01", "--out=" + out})).isZero();

        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(2);
        JsonNode first = new ObjectMapper().readTree(lines.get(0));
        assertThat(first.path("at").asText()).isEqualTo("2026-11-01T09:00:00Z");
        assertThat(first.path("actor").asText()).isEqualTo("U0DANA");
        assertThat(first.path("detail").asText()).isEqualTo("elevate {role=operator}");
        assertThat(new ObjectMapper().readTree(lines.get(1)).path("action").asText()).isEqualTo("approve");
    }

    /** The image's command carries {@code -Dspring.aot.enabled=true}; {@code docker run <image> audit-export} too. */
    @Test
    void runsWithTheImagesAheadOfTimeFlagSetAsWell() {
        String url = "jdbc:h2:file:" + tmp.resolve("paver").toAbsolutePath();
        String before = System.getProperty("spring.aot.enabled");
        System.setProperty("spring.aot.enabled", "true");
        try {
            assertThat(AuditExport.run(new String[] {"--spring.datasource.url=" + url, "--verify"})).isZero();
        } finally {
            if (before == null) {
                System.clearProperty("spring.aot.enabled");
            } else {
                System.setProperty("spring.aot.enabled", before);
            }
        }
    }

    @Test
    void aBadArgumentChangesNothingAndSaysWhy() {
        assertThat(AuditExport.run(new String[] {"--since=yesterday"})).isEqualTo(2);
        assertThat(AuditExport.run(new String[] {"everything"})).isEqualTo(2);
    }

    @Test
    void theLockErrorOfH2NamesTheRunningPaverAndAnyOtherFailureItsCause() {
        RuntimeException locked = new IllegalStateException("Unable to obtain connection",
                new java.sql.SQLException("Database may be already in use", "90020", 90020));
        assertThat(AuditExport.unreadable(locked)).contains("most likely the running Paver", "Stop Paver");
        RuntimeException refused = new IllegalStateException("Unable to obtain connection",
                new java.sql.SQLException("Connection to db:5432 refused", "08001", 0));
        assertThat(AuditExport.unreadable(refused)).isEqualTo(
                "cannot read the database (spring.datasource.url): SQLException: Connection to db:5432 refused");
    }

    @Test
    void verifyFindsAnEntryEditedOrDeletedAfterItWasWritten() throws Exception {
        String url = "jdbc:h2:file:" + tmp.resolve("chain").toAbsolutePath();
        assertThat(AuditExport.run(new String[] {"--spring.datasource.url=" + url, "--verify"})).as("an empty log").isZero();
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(url, "sa", ""));
        JdbcAuditLog log = new JdbcAuditLog(jdbc);
        for (int i = 1; i <= 5; i++) {
            log.append(new AuditEntry(Instant.parse("2026-11-01T09:00:00Z").plusSeconds(i), "U0ALEX", "approve",
                    "payments-prod-api", "r" + i, "BUTTON", "promote " + i));
        }
        assertThat(log.verify().intact()).isTrue();
        assertThat(log.verify().entries()).isEqualTo(5);
        assertThat(AuditExport.run(new String[] {"--spring.datasource.url=" + url, "--verify"})).isZero();

        // someone with the database's password makes an approval look like someone else's
        jdbc.update("UPDATE audit_log SET actor = 'U0SAM' WHERE run_id = 'r2'");
        assertThat(log.verify().problems()).singleElement().asString().contains("was changed after it was written", "approve");
        assertThat(AuditExport.run(new String[] {"--spring.datasource.url=" + url, "--verify"})).isEqualTo(3);
        jdbc.update("UPDATE audit_log SET actor = 'U0ALEX' WHERE run_id = 'r2'");
        assertThat(log.verify().intact()).as("put back as it was").isTrue();

        jdbc.update("DELETE FROM audit_log WHERE run_id = 'r3'");
        assertThat(log.verify().problems()).singleElement().asString().contains("does not follow the entry before it");

        jdbc.update("DELETE FROM audit_log WHERE run_id IN ('r4', 'r5')");
        assertThat(log.verify().problems()).anySatisfy(p -> assertThat(p).contains("entries at the end were deleted"));
    }

    @Test
    void appendsFromManyThreadsAtOnceFormOneChain() throws Exception {
        JdbcAuditLog log = new JdbcAuditLog(new JdbcTemplate(new DriverManagerDataSource(
                "jdbc:h2:file:" + tmp.resolve("busy").toAbsolutePath(), "sa", "")));
        AuditExport.run(new String[] {"--spring.datasource.url=jdbc:h2:file:" + tmp.resolve("busy").toAbsolutePath(), "--verify"});
        var pool = Executors.newFixedThreadPool(8);
        List<Future<?>> appends = new ArrayList<>();
        for (int i = 0; i < 80; i++) {
            int n = i;
            appends.add(pool.submit(() -> log.append(new AuditEntry(Instant.now(), "U0DANA", "request", "payments-dev-api",
                    "r" + n, "TYPED", "create-service " + n))));
        }
        for (var append : appends) {
            append.get();
        }
        pool.shutdown();
        assertThat(log.verify().entries()).isEqualTo(80);
        assertThat(log.verify().problems()).isEmpty();
    }
}
