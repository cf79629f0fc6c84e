package dev.paver.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.core.audit.AuditEntry;
import dev.paver.store.JdbcAuditLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
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
}
