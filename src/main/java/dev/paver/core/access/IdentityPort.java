package dev.paver.core.access;

import java.util.Optional;

/**
 * Port from a chat user to their cluster identity (the {@code User} name the API server authenticates, usually an
 * email). Implementations consult a configured mapping first, then the chat's profile.
 */
public interface IdentityPort {

    /**
     * @param userId the chat user id, e.g. Slack's {@code U0DANA}
     * @return the identity, or empty when the user cannot be mapped
     * @throws RuntimeException when the chat cannot be reached (the caller tries again later)
     */
    Optional<String> clusterIdentity(String userId);

    /**
     * The chat user a catalog User is, the other way round: the user whose configured identity's local part (before
     * {@code @}) is {@code catalogUser}, as {@code user.ref} is found from an identity (Backstage's
     * {@code emailLocalPartMatchingUserEntityName}). Only the configured mapping is read (no call to the chat); by
     * default nobody.
     *
     * @param catalogUser a catalog User's name, e.g. {@code dana} of {@code user:default/dana}
     * @return the chat user id, or empty when no configured identity names that user
     */
    default Optional<String> chatUser(String catalogUser) {
        return Optional.empty();
    }
}
