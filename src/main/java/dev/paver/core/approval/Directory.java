package dev.paver.core.approval;

import java.util.Collection;

/**
 * Port to the chat's people and groups: whether a user belongs to a reference from configuration. A reference is
 * a user id ({@code U0ALEX}, {@code W0...}) or a user group id ({@code S0PLATFORM}, Slack's "User groups").
 */
public interface Directory {

    /**
     * @throws RuntimeException when the chat cannot be reached; callers refuse rather than guess
     */
    boolean isMember(String userId, String reference);

    /** True when the user is {@code reference} or belongs to it, for any of the references. */
    default boolean isMemberOfAny(String userId, Collection<String> references) {
        for (String reference : references) {
            if (isMember(userId, reference)) {
                return true;
            }
        }
        return false;
    }
}
