package dev.paver.slack;

import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import dev.paver.core.approval.Directory;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Directory} on Slack: a user id reference ({@code U...}, {@code W...}) matches that user; a user group id
 * ({@code S...}) matches its members, read with {@code usergroups.users.list} (scope {@code usergroups:read}) and
 * kept for {@link #CACHE}.
 */
public final class SlackDirectory implements Directory {

    /** How long a user group's members are kept before Slack is asked again. */
    public static final Duration CACHE = Duration.ofSeconds(60);

    private final MethodsClient client;
    private final Clock clock;
    private final Map<String, Members> groups = new ConcurrentHashMap<>();

    private record Members(List<String> users, Instant readAt) {
    }

    public SlackDirectory(MethodsClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    /**
     * @throws IllegalStateException when Slack refuses or cannot be reached (the caller refuses the click)
     */
    @Override
    public boolean isMember(String userId, String reference) {
        if (reference == null || reference.isBlank()) {
            return false;
        }
        if (!reference.startsWith("S")) {
            return reference.equals(userId);
        }
        Members members = groups.get(reference);
        if (members == null || members.readAt().plus(CACHE).isBefore(clock.instant())) {
            try {
                var response = client.usergroupsUsersList(r -> r.usergroup(reference));
                if (!response.isOk()) {
                    throw new IllegalStateException("Slack usergroups.users.list for " + reference + " failed: " + response.getError());
                }
                members = new Members(response.getUsers() == null ? List.of() : List.copyOf(response.getUsers()), clock.instant());
                groups.put(reference, members);
            } catch (IOException | SlackApiException e) {
                throw new IllegalStateException("Slack usergroups.users.list for " + reference + " could not be reached: "
                        + e.getMessage(), e);
            }
        }
        return members.users().contains(userId);
    }
}
