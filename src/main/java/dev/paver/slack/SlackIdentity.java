package dev.paver.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import dev.paver.core.access.IdentityPort;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * {@link IdentityPort} on Slack: a configured mapping ({@code paver.identity.users.<user id>}) wins; otherwise the
 * email of the user's profile from {@code users.info} (scope {@code users:read.email}). Bots and deleted users have
 * no identity.
 */
public final class SlackIdentity implements IdentityPort {

    private final MethodsClient client;
    private final Map<String, String> mapping;

    /** @param mapping Slack user id to cluster identity, from configuration */
    public SlackIdentity(MethodsClient client, Map<String, String> mapping) {
        this.client = client;
        this.mapping = Map.copyOf(mapping);
    }

    /** From {@code paver.identity.users}: the first user id, in sorted order, whose identity's local part is the name. */
    @Override
    public Optional<String> chatUser(String catalogUser) {
        String wanted = catalogUser.strip().toLowerCase(java.util.Locale.ROOT);
        return new java.util.TreeMap<>(mapping).entrySet().stream()
                .filter(e -> e.getValue() != null && localPart(e.getValue()).equals(wanted))
                .map(Map.Entry::getKey).findFirst();
    }

    private static String localPart(String identity) {
        int at = identity.indexOf('@');
        return (at < 0 ? identity : identity.substring(0, at)).strip().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * @throws IllegalStateException when Slack cannot be reached or refuses for another reason than an unknown user
     */
    @Override
    public Optional<String> clusterIdentity(String userId) {
        String mapped = mapping.get(userId);
        if (mapped != null && !mapped.isBlank()) {
            return Optional.of(mapped);
        }
        try {
            var response = client.usersInfo(r -> r.user(userId));
            if (!response.isOk()) {
                if ("user_not_found".equals(response.getError())) {
                    return Optional.empty();
                }
                throw new IllegalStateException("Slack users.info failed: " + response.getError());
            }
            var user = response.getUser();
            if (user == null || user.isBot() || user.isDeleted() || user.getProfile() == null) {
                return Optional.empty();
            }
            String email = user.getProfile().getEmail();
            return email == null || email.isBlank() ? Optional.empty() : Optional.of(email);
        } catch (IOException | SlackApiException e) {
            throw new IllegalStateException("Slack users.info could not be reached: " + e.getMessage(), e);
        }
    }
}
