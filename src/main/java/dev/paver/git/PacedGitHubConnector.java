package dev.paver.git;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.kohsuke.github.connector.GitHubConnector;
import org.kohsuke.github.connector.GitHubConnectorRequest;
import org.kohsuke.github.connector.GitHubConnectorResponse;

/**
 * github-api's transport with {@link GitHubLimits} around it: the one place every request of a client passes. A
 * content-creating request (POST, PATCH, PUT, DELETE) waits its turn; any request is held during a back-off; a
 * rate-limit answer becomes a {@link GitHubLimits.Wait} before github-api's own handlers see it.
 *
 * <p>Why here and not in github-api's {@code GitHubAbuseLimitHandler}: in github-api 1.330 that handler is asked only
 * for a 429, or a 403 carrying {@code Retry-After} or {@code gh-limited-by}, and its only choices are to sleep the
 * calling thread or to fail; GitHub also answers a secondary limit with a plain 403 whose message says "secondary
 * rate limit" (GitHub docs, "Rate limits for the REST API": "you will receive a 403 or 429 response and an error
 * message that indicates that you exceeded a secondary rate limit").
 *
 * <p>Metered here, once per request: {@value #CALLS} (tags {@code method}, the HTTP method, and {@code outcome}:
 * {@code ok} for 2xx and 3xx, {@code not_found} for 404 (github-api's way to ask whether something exists),
 * {@code rate_limited} for GitHub's rate-limit answers and the requests Paver holds back during a back-off,
 * {@code error} for any other failure); GitHub's {@code X-RateLimit-Remaining} and {@code X-RateLimit-Limit} of the
 * latest answer that had them as {@value #REMAINING} and {@value #LIMIT} (NaN before the first).
 */
final class PacedGitHubConnector implements GitHubConnector {

    /** Requests by HTTP method and outcome. */
    static final String CALLS = "paver.github.calls";
    /** GitHub's {@code X-RateLimit-Remaining}: requests left in the primary limit's window. */
    static final String REMAINING = "paver.github.rate.limit.remaining";
    /** GitHub's {@code X-RateLimit-Limit}: requests per window of the primary limit. */
    static final String LIMIT = "paver.github.rate.limit.limit";

    private final GitHubConnector transport;
    private final GitHubLimits limits;
    private final MeterRegistry registry;
    private final AtomicLong remaining = new AtomicLong(-1);
    private final AtomicLong limit = new AtomicLong(-1);

    PacedGitHubConnector(GitHubConnector transport, GitHubLimits limits, MeterRegistry registry) {
        this.transport = transport;
        this.limits = limits;
        this.registry = registry;
        Gauge.builder(REMAINING, () -> known(remaining)).description("GitHub's X-RateLimit-Remaining of its latest answer")
                .register(registry);
        Gauge.builder(LIMIT, () -> known(limit)).description("GitHub's X-RateLimit-Limit of its latest answer")
                .register(registry);
    }

    private static double known(AtomicLong value) {
        long v = value.get();
        return v < 0 ? Double.NaN : v;
    }

    /** @throws GitHubLimits.Wait instead of sending, or instead of returning a rate-limit answer */
    @Override
    public GitHubConnectorResponse send(GitHubConnectorRequest request) throws IOException {
        String method = request.method().toUpperCase(Locale.ROOT);
        String outcome = "error";
        try {
            GitHubConnectorResponse response = paced(request, method);
            int status = response.statusCode();
            outcome = status < 400 ? "ok" : status == 404 ? "not_found" : "error";
            return response;
        } catch (GitHubLimits.Wait wait) {
            outcome = "rate_limited";
            throw wait;
        } finally {
            Counter.builder(CALLS).description("GitHub API requests by HTTP method and outcome").tag("method", method)
                    .tag("outcome", outcome).register(registry).increment();
        }
    }

    private GitHubConnectorResponse paced(GitHubConnectorRequest request, String method) throws IOException {
        boolean content = !(method.equals("GET") || method.equals("HEAD"));
        if (content) {
            limits.beforeContent();
        } else {
            limits.beforeRead();
        }
        GitHubConnectorResponse response = transport.send(request);
        remember(remaining, response.header("X-RateLimit-Remaining"));
        remember(limit, response.header("X-RateLimit-Limit"));
        int status = response.statusCode();
        if (status == 403 || status == 429) {
            GitHubLimits.Wait wait = null;
            if ("0".equals(trimmed(response.header("X-RateLimit-Remaining")))) {
                wait = limits.primaryLimit(status, epochSeconds(response.header("X-RateLimit-Reset")));
            } else if (status == 429 || response.header("Retry-After") != null || response.header("gh-limited-by") != null
                    || saysSecondaryLimit(response)) {
                wait = limits.secondaryLimit(status, seconds(response.header("Retry-After")));
            }
            if (wait != null) {
                response.close();
                throw wait;
            }
        } else if (content && status < 400) {
            limits.contentAccepted();
        }
        return response;
    }

    /** GitHub's message: "You have exceeded a secondary rate limit..." (older: "...abuse detection mechanism..."). */
    private static boolean saysSecondaryLimit(GitHubConnectorResponse response) {
        try (InputStream body = response.bodyStream()) {
            String text = new String(body.readNBytes(4096), StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
            return text.contains("secondary rate limit") || text.contains("abuse detection");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void remember(AtomicLong into, String header) {
        try {
            if (header != null) {
                into.set(Long.parseLong(header.trim()));
            }
        } catch (NumberFormatException e) {
            // not GitHub's number: the last one stays
        }
    }

    private static String trimmed(String header) {
        return header == null ? null : header.trim();
    }

    /** {@code Retry-After} as a number of seconds (what GitHub sends); null when absent or an HTTP date. */
    private static Duration seconds(String header) {
        try {
            return header == null ? null : Duration.ofSeconds(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Instant epochSeconds(String header) {
        try {
            return header == null ? null : Instant.ofEpochSecond(Long.parseLong(header.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
