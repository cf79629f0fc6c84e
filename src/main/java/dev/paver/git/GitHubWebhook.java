package dev.paver.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * GitHub webhook deliveries: signature check and the one event Paver reacts to, a merged pull request. Configure
 * the webhook with content type {@code application/json}; the signature covers the raw body bytes exactly as sent.
 */
public final class GitHubWebhook {

    private static final String PREFIX = "sha256=";
    private static final ObjectMapper JSON = new ObjectMapper();

    private GitHubWebhook() {
    }

    /**
     * A merged pull request from a {@code pull_request} delivery.
     *
     * @param repository     {@code repository.name}, without the owner
     * @param branch         {@code pull_request.head.ref}
     * @param number         {@code pull_request.number}
     * @param mergeCommitSha {@code pull_request.merge_commit_sha}, the default-branch commit that contains the change
     * @param mergedBy       {@code pull_request.merged_by.login}, empty when absent
     */
    public record MergedPullRequest(String repository, String branch, int number, String mergeCommitSha, String mergedBy) {
    }

    /**
     * Whether {@code signatureHeader} (the {@code X-Hub-Signature-256} header) is {@code sha256=} followed by the hex
     * HMAC-SHA256 of {@code body} keyed with {@code secret}. Compared in constant time. False for a missing or blank
     * secret, a missing header, another prefix (e.g. the SHA-1 {@code sha1=} of {@code X-Hub-Signature}) or
     * malformed hex. Rule from GitHub docs: "Validating webhook deliveries".
     */
    public static boolean verify(String secret, byte[] body, String signatureHeader) {
        if (secret == null || secret.isEmpty() || body == null || signatureHeader == null
                || !signatureHeader.startsWith(PREFIX)) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(signatureHeader.substring(PREFIX.length()).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmacSha256(secret, body), given);
    }

    /**
     * The merged pull request in a delivery: present when {@code event} is {@code pull_request}, {@code action} is
     * {@code closed} and {@code pull_request.merged} is true; empty for any other event or action, a pull request
     * closed without merging, or a body that is not JSON. Payload shape from GitHub docs: "Webhook events and
     * payloads", {@code pull_request}.
     */
    public static Optional<MergedPullRequest> mergedPullRequest(String event, byte[] body) {
        if (!"pull_request".equals(event) || body == null) {
            return Optional.empty();
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (root == null) {
            return Optional.empty();
        }
        JsonNode pr = root.path("pull_request");
        if (!"closed".equals(root.path("action").asText()) || !pr.path("merged").asBoolean(false)) {
            return Optional.empty();
        }
        String repository = root.path("repository").path("name").asText("");
        String branch = pr.path("head").path("ref").asText("");
        if (repository.isEmpty() || branch.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MergedPullRequest(repository, branch, pr.path("number").asInt(root.path("number").asInt(0)),
                pr.path("merge_commit_sha").asText(""), pr.path("merged_by").path("login").asText("")));
    }

    static byte[] hmacSha256(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
