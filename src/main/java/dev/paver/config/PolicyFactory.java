package dev.paver.config;

import dev.paver.core.access.AccessPolicy;
import dev.paver.core.action.AwaitMergeAction;
import dev.paver.core.approval.ApprovalPolicy;
import dev.paver.core.approval.MergePolicies;
import dev.paver.core.convention.Conventions;
import java.time.Duration;
import java.util.ArrayList;
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

    /**
     * {@code paver.merge.policies}, checked against the conventions.
     *
     * @throws InvalidSettingException naming the key when a policy has no golden path or environments, names an
     *                                 environment the conventions do not have, or names the production environment
     *                                 (production keeps four eyes)
     */
    static MergePolicies merge(PaverProperties.Merge config, Conventions conventions) {
        List<MergePolicies.Policy> policies = new ArrayList<>();
        List<PaverProperties.MergePolicy> configured = config == null || config.policies() == null ? List.of() : config.policies();
        for (int i = 0; i < configured.size(); i++) {
            PaverProperties.MergePolicy p = configured.get(i);
            List<String> envs = p.environments() == null ? List.of() : p.environments();
            for (String env : envs) {
                if (!conventions.environments().contains(env)) {
                    throw new InvalidSettingException("paver.merge.policies[" + i + "].environments names " + env
                            + ", which is not an environment of the conventions " + conventions.environments()
                            + "; use one of them");
                }
            }
            policies.add(new MergePolicies.Policy(p.goldenPath() == null ? "" : p.goldenPath().trim(), envs, p.domains()));
        }
        try {
            return new MergePolicies(policies, conventions.productionEnvironment());
        } catch (IllegalArgumentException e) {
            throw new InvalidSettingException("paver.merge." + e.getMessage(), e);
        }
    }

    /**
     * {@code paver.merge.check-interval}.
     *
     * @throws InvalidSettingException when it is less than 1s
     */
    static Duration checkInterval(PaverProperties.Merge config) {
        Duration interval = config == null || config.checkInterval() == null ? AwaitMergeAction.CHECK_INTERVAL : config.checkInterval();
        if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new InvalidSettingException("paver.merge.check-interval is " + interval + ": it must be at least 1s, e.g. 15s;"
                    + " leave it unset for Paver's default");
        }
        return interval;
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
