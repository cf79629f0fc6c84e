package dev.paver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.paver.store.JdbcAuditLog;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code java -jar paver.jar audit-export [--since=2026-11-01|2026-11-01T08:00:00Z] [--out=audit.jsonl]}: writes
 * the audit log as JSON lines (one {@code {"at","actor","action","subject","runId","origin","detail"}} object per
 * line, oldest first) to the file or to standard output. {@code audit-export --verify} instead checks the log's hash
 * chain ({@link JdbcAuditLog#verify}) and says whether an entry was edited or deleted, exit code 3 when one was. Reads the database Paver is configured with
 * ({@code spring.datasource.*}, same environment variables and {@code --spring.datasource.url=...} arguments); needs no
 * Slack, git or cluster settings and starts no server.
 */
public final class AuditExport {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private AuditExport() {
    }

    /** Only the database: data source, Flyway, JdbcTemplate. */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class Database {
    }

    /**
     * @param args {@code --since=...}, {@code --out=...}, and Spring Boot arguments ({@code --spring.datasource.url=...})
     * @return the exit code: 0; 1 when the database cannot be read (in use by a running Paver on H2, unreachable) or the
     *         file cannot be written; 2 for a bad argument (the reason, one line, is on standard error); 3 when
     *         {@code --verify} finds the log edited or cut
     */
    public static int run(String[] args) {
        Instant since = Instant.EPOCH;
        Path out = null;
        boolean verify = false;
        List<String> spring = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--verify")) {
                verify = true;
            } else if (arg.startsWith("--since=")) {
                try {
                    since = parseSince(arg.substring("--since=".length()));
                } catch (DateTimeParseException e) {
                    System.err.println("audit-export: --since takes a date (2026-11-01) or an instant (2026-11-01T08:00:00Z), not "
                            + arg.substring("--since=".length()));
                    return 2;
                }
            } else if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring("--out=".length()));
            } else if (arg.startsWith("--")) {
                spring.add(arg);
            } else {
                System.err.println("audit-export: unexpected argument " + arg
                        + "; usage: audit-export [--since=2026-11-01] [--out=audit.jsonl] | audit-export --verify");
                return 2;
            }
        }
        if (out == null) {
            // standard output carries the JSON lines: nothing else may be logged there
            spring.add("--logging.level.root=OFF");
        }
        spring.add("--spring.main.log-startup-info=false");
        // the image starts every command with -Dspring.aot.enabled=true: the context generated ahead of time is the
        // server's (Spring picks it by the main class), so this small context is built as configured, not from it
        System.clearProperty("spring.aot.enabled");
        ConfigurableApplicationContext opened;
        try {
            opened = new SpringApplicationBuilder(Database.class).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
                    .run(spring.toArray(String[]::new));
        } catch (RuntimeException e) {
            System.err.println("audit-export: " + unreadable(e));
            return 1;
        }
        if (verify) {
            try (ConfigurableApplicationContext context = opened) {
                return verify(new JdbcAuditLog(context.getBean(JdbcTemplate.class)));
            }
        }
        try (ConfigurableApplicationContext context = opened;
             Writer writer = out == null ? new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8))
                     : Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            long[] count = {0};
            new JdbcAuditLog(context.getBean(JdbcTemplate.class)).export(since, entry -> {
                try {
                    writer.write(JSON.writeValueAsString(entry));
                    writer.write('\n');
                    count[0]++;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            writer.flush();
            if (out != null) {
                System.err.println("audit-export: " + count[0] + " entries written to " + out);
            }
            return 0;
        } catch (IOException e) {
            System.err.println("audit-export: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
    }

    /** Prints what {@link JdbcAuditLog#verify} found, on standard output; 0 when intact, 3 when not. */
    private static int verify(JdbcAuditLog log) {
        JdbcAuditLog.Verification found = log.verify();
        String unchained = found.unchained() == 0 ? ""
                : " (" + found.unchained() + " older entries were written before the chain began and cannot be verified)";
        if (found.intact()) {
            System.out.println("audit-export: the audit log is intact: " + found.entries() + " entries, each as it was written, "
                    + "none missing" + unchained + ".");
            return 0;
        }
        System.out.println("audit-export: the audit log was changed after it was written (" + found.entries() + " entries checked"
                + unchained + "):");
        found.problems().forEach(p -> System.out.println("  " + p));
        return 3;
    }

    /** H2's "Database may be already in use" (another process holds the file lock): {@code ErrorCode.DATABASE_ALREADY_OPEN_1}. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    /**
     * One line that says why the database could not be read and what to do, from the failure of opening it: H2's
     * file lock held by a running Paver ("Database may be already in use", error 90020, H2's {@code ErrorCode}), else
     * the innermost cause's message (an unreachable PostgreSQL, wrong credentials, ...).
     */
    static String unreadable(Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return "the database is in use by another process, most likely the running Paver: the embedded H2 "
                        + "database (./data/paver by default) can be opened by one process at a time. Stop Paver and run "
                        + "audit-export again, or keep Paver's data in PostgreSQL (spring.datasource.url) to export while it runs.";
            }
            root = t;
        }
        return "cannot read the database (spring.datasource.url): " + root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    static Instant parseSince(String text) {
        return text.contains("T") ? Instant.parse(text) : LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
