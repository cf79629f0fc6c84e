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
}
