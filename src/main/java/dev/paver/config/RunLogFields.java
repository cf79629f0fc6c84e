package dev.paver.config;

import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunTrace;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * Puts a run's id, golden path and requester in SLF4J's MDC while the run engine works on the run (a pass with the
 * actions its steps execute, a card edit): every line logged meanwhile on that thread carries them, also the core's
 * {@code java.util.logging} lines, which Spring Boot routes to SLF4J on the same thread. With structured logging
 * ({@code logging.structured.format.console: ecs}) they are JSON fields, nested at their dots:
 * {@code {"paver": {"run": {"id": "...", "golden_path": "create-service", "requester": "U0DANA"}}}}.
 */
public final class RunLogFields implements RunTrace {

    /** The run's id, as in the card and {@code /platform status}. */
    public static final String RUN_ID = "paver.run.id";
    /** The run's golden path id, e.g. {@code create-service}. */
    public static final String GOLDEN_PATH = "paver.run.golden_path";
    /** The Slack user id of the person who asked for the run. */
    public static final String REQUESTER = "paver.run.requester";

    @Override
    public Scope enter(String runId, RunRequest request) {
        Map<String, String> before = new LinkedHashMap<>();
        put(before, RUN_ID, runId);
        put(before, GOLDEN_PATH, request.goldenPath());
        put(before, REQUESTER, request.requester());
        return () -> before.forEach((key, value) -> {
            if (value == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, value);
            }
        });
    }

    /** Sets {@code key}, remembering what it held (a scope inside another restores the outer one's values). */
    private static void put(Map<String, String> before, String key, String value) {
        before.put(key, MDC.get(key));
        MDC.put(key, value);
    }
}
