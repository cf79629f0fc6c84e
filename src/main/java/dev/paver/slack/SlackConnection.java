package dev.paver.slack;

import java.util.Set;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * Whether Paver can talk to Slack, for readiness ({@code /actuator/health/readiness}): Slack's latest verdict on the
 * bot token, as {@link SlackRateLimits} sees it pass on every Web API call (no call of its own). {@code auth.test}
 * answered {@code ok} accepts the token: Bolt calls it when it starts (a refused token stops the start), on the
 * first request (which the warm-up at start-up sends) and on the first request after each {@code paver.slack.recheck}.
 * Any call answered with an error that says the token is not valid refuses it ({@link #TOKEN_REFUSED}, from Slack's
 * "auth.test" and "Token types" docs). In Socket Mode the WebSocket must be connected too. Health:
 * <ul>
 *   <li>UP: HTTP mode and the token accepted; Socket Mode connected and the token not refused;</li>
 *   <li>DOWN with {@code error}: the token refused (Slack's error code, never the token), not checked yet in HTTP mode
 *       (Slack has not answered {@code auth.test}: unreachable, or Paver is starting), or Socket Mode not connected.</li>
 * </ul>
 */
public final class SlackConnection implements HealthIndicator {

    /** Slack's errors that mean the bot token is not (any more) valid. */
    public static final Set<String> TOKEN_REFUSED = Set.of("invalid_auth", "not_authed", "token_revoked", "token_expired",
            "account_inactive");

    private volatile Boolean accepted;
    private volatile String refusal = "";
    /** null in HTTP mode; in Socket Mode whether its WebSocket is connected, as last seen */
    private volatile Boolean socketMode;

    /**
     * Slack answered a Web API call: {@code error} is null for {@code ok: true}, else Slack's error code. Only
     * {@code auth.test}'s success accepts the token; only an error of {@link #TOKEN_REFUSED} refuses it.
     */
    void answered(String method, String error) {
        if (error == null) {
            if ("auth.test".equals(method)) {
                accepted = true;
                refusal = "";
            }
        } else if (TOKEN_REFUSED.contains(error)) {
            refusal = error;
            accepted = false;
        }
    }

    /**
     * Socket Mode is on, and its WebSocket is {@code connected} or not, as just seen (a message or a close, a ping
     * answered or not).
     */
    public void socketMode(boolean connected) {
        this.socketMode = connected;
    }

    /** True unless Slack accepted the token at its latest {@code auth.test}: the warm-up should be sent (again). */
    public boolean needsCheck() {
        return !Boolean.TRUE.equals(accepted);
    }

    @Override
    public Health health() {
        Boolean socket = socketMode;
        if (Boolean.FALSE.equals(accepted)) {
            return Health.down().withDetail("error", "Slack refuses the bot token (" + refusal + "): set a valid "
                    + "paver.slack.bot-token (xoxb-...) of an installed app").build();
        }
        if (socket != null) {
            return socket ? Health.up().withDetail("mode", "socket").build()
                    : Health.down().withDetail("mode", "socket").withDetail("error", "Socket Mode is not connected").build();
        }
        return accepted == null
                ? Health.down().withDetail("mode", "http").withDetail("error", "Slack has not answered auth.test yet").build()
                : Health.up().withDetail("mode", "http").build();
    }
}
