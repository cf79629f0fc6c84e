package dev.paver.config;

import dev.paver.core.access.AccessPolicy;
import dev.paver.core.approval.ApprovalPolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Builds the approval and access policies from {@code paver.approvals.*} and {@code paver.access.*}. */
public final class PolicyFactory {

    private PolicyFactory() {
    }

    static ApprovalPolicy approvals(PaverProperties.Approvals config) {
        return new ApprovalPolicy(orEmpty(config.approvers()), orEmpty(config.channels()), config.required(), config.timeout(),
                orEmpty(config.mayRun()), config.remindBefore());
    }

    /** The configured roles, or the defaults when none are configured. */
    static AccessPolicy access(PaverProperties.Access config) {
        AccessPolicy defaults = AccessPolicy.defaults();
        if (config.roles() == null || config.roles().isEmpty()) {
            return new AccessPolicy(defaults.roles(), config.remindBefore());
        }
        Map<String, AccessPolicy.Role> roles = new LinkedHashMap<>();
        config.roles().forEach((name, role) -> {
            if (role.clusterRole() == null || role.clusterRole().isBlank() || role.max() == null) {
                throw new IllegalStateException("paver.access.roles." + name + " needs cluster-role and max, e.g. cluster-role: edit, max: 4h");
            }
            roles.put(name, new AccessPolicy.Role(name, role.clusterRole(), role.max()));
        });
        return new AccessPolicy(roles, config.remindBefore());
    }

    /** Slack user ids are upper case; configuration keys may have been lower-cased on the way. */
    public static Map<String, String> identities(PaverProperties.Identity config) {
        Map<String, String> users = new LinkedHashMap<>();
        orEmpty(config.users()).forEach((user, identity) -> users.put(user.toUpperCase(Locale.ROOT), identity));
        return users;
    }

    private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
        return map == null ? Map.of() : map;
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}
