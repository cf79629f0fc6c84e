package dev.paver.git;

import dev.paver.core.action.AwaitMergeAction;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /github/webhook}: GitHub's webhook deliveries. Answers 401 when no secret is configured or the
 * {@code X-Hub-Signature-256} signature does not match the raw body, 202 for every other delivery (ping, other
 * events and actions included). A merged pull request wakes the runs waiting on
 * {@link AwaitMergeAction#waitKey(String, String)} of its repository and head branch. Registered as a bean by the
 * application's wiring, not by component scanning.
 */
@RestController
public class GitHubWebhookController {

    private static final Logger LOG = LoggerFactory.getLogger(GitHubWebhookController.class);

    private final String webhookSecret;
    private final Consumer<String> wake;

    /**
     * @param webhookSecret the webhook's secret ({@code paver.github.webhook-secret}); null or blank rejects every delivery
     * @param wake          called with the wake key of each merged pull request
     */
    public GitHubWebhookController(String webhookSecret, Consumer<String> wake) {
        this.webhookSecret = webhookSecret;
        this.wake = wake;
    }

    /** Verifies and handles one delivery; see the class comment for the answers. */
    @PostMapping("/github/webhook")
    public ResponseEntity<Void> receive(@RequestBody(required = false) byte[] body,
                                        @RequestHeader(value = "X-Hub-Signature-256", required = false) String signature,
                                        @RequestHeader(value = "X-GitHub-Event", required = false) String event) {
        byte[] raw = body == null ? new byte[0] : body;
        if (webhookSecret == null || webhookSecret.isBlank()) {
            LOG.warn("GitHub webhook delivery rejected: paver.github.webhook-secret is not set");
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        if (!GitHubWebhook.verify(webhookSecret, raw, signature)) {
            LOG.warn("GitHub webhook delivery rejected: X-Hub-Signature-256 does not match (event {})", event);
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
        }
        Optional<GitHubWebhook.MergedPullRequest> merged = GitHubWebhook.mergedPullRequest(event, raw);
        merged.ifPresent(pr -> {
            LOG.info("GitHub pull request #{} in {} from {} merged", pr.number(), pr.repository(), pr.branch());
            wake.accept(AwaitMergeAction.waitKey(pr.repository(), pr.branch()));
        });
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }
}
