package dev.paver.core.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A checked request to walk a golden path. Typed commands, modal submissions and button clicks all become one
 * of these; {@link Origin} is kept for the audit trail only.
 *
 * @param goldenPath the golden path id, e.g. {@code create-service}
 * @param parameters the template parameters, defaults filled and typed
 * @param platform   values Paver derived from the catalog and conventions ({@code domain}, {@code costCenter},
 *                   {@code profile}...), the template's {@code platform} context
 * @param requester  the Slack user id of the person asking, from the signed payload
 * @param origin     how it was asked
 * @param channel    the Slack channel id where it was asked; the status card goes there
 */
public record RunRequest(String goldenPath, Map<String, Object> parameters, Map<String, Object> platform,
                         String requester, Origin origin, String channel) {
    public RunRequest {
        Objects.requireNonNull(goldenPath, "goldenPath");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
        platform = Collections.unmodifiableMap(new LinkedHashMap<>(platform));
        Objects.requireNonNull(requester, "requester");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(channel, "channel");
    }

    /**
     * The {@code platform} key that makes a run a dry run ({@code true}): its {@code paver:preview} step shows the
     * files and the diff, and waits for the requester's Open PR before anything is pushed.
     */
    public static final String DRY_RUN = "dryRun";

    /** How a request reached Paver. */
    public enum Origin {
        /** a slash command with all its arguments */
        TYPED,
        /** a modal's view submission */
        MODAL,
        /** a button in a message */
        BUTTON
    }
}
