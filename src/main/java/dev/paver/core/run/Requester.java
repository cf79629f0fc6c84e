package dev.paver.core.run;

import dev.paver.core.access.IdentityPort;
import dev.paver.core.goldenpath.PlatformCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The requester as Backstage's templates see them ({@code user.ref} and {@code user.entity} of the Scaffolder's
 * context): from the Slack user's identity ({@link IdentityPort}: {@code paver.identity.users}, else the Slack profile's
 * email), the catalog User whose name is the identity's local part (before {@code @}), as Backstage's sign-in resolver
 * {@code emailLocalPartMatchingUserEntityName} finds it.
 */
public final class Requester {

    private static final Logger LOG = Logger.getLogger(Requester.class.getName());

    /** A Backstage entity name: letters, digits and {@code - _ .}, starting and ending with a letter or digit, at most 63. */
    private static final Pattern ENTITY_NAME = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?");

    private Requester() {
    }

    /**
     * The requester's {@code user} map for {@code platform.user} ({@link RunEngine#USER}): {@code ref}
     * ({@code user:default/<name>}) when the identity gives a valid entity name, and {@code entity} (a Backstage User:
     * apiVersion, kind, metadata.name and namespace, spec.memberOf with the groups the catalog gives it, and
     * spec.profile.email when the identity is an email) when the catalog has that user too.
     *
     * @return empty when the user has no identity, the identity gives no valid name, or the chat cannot be reached now
     *         (logged; the run goes on without {@code user})
     */
    public static Optional<Map<String, Object>> of(String userId, IdentityPort identities, PlatformCatalog catalog) {
        String identity;
        try {
            identity = identities.clusterIdentity(userId).orElse(null);
        } catch (RuntimeException e) {
            LOG.warning("the identity of " + userId + " could not be read, so templates see no user.ref: " + e.getMessage());
            return Optional.empty();
        }
        if (identity == null || identity.isBlank()) {
            return Optional.empty();
        }
        int at = identity.indexOf('@');
        String name = (at < 0 ? identity : identity.substring(0, at)).strip().toLowerCase(Locale.ROOT);
        if (!ENTITY_NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("ref", "user:default/" + name);
        List<String> groups = catalog.users().get(name);
        if (groups != null) {
            Map<String, Object> spec = new LinkedHashMap<>();
            if (at > 0) {
                spec.put("profile", Map.of("email", identity.strip()));
            }
            spec.put("memberOf", List.copyOf(groups));
            Map<String, Object> entity = new LinkedHashMap<>();
            entity.put("apiVersion", "backstage.io/v1alpha1");
            entity.put("kind", "User");
            entity.put("metadata", Map.of("name", name, "namespace", "default"));
            entity.put("spec", spec);
            user.put("entity", entity);
        }
        return Optional.of(user);
    }
}
