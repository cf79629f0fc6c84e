package dev.paver.core.convention;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of the nine labels every Namespace and workload carries (CONVENTIONS.md, "The nine required labels").
 * Each key is configurable; the values are always derived from the semantic key, the system and the owner.
 */
public record RequiredLabels(String name, String instance, String partOf, String managedBy, String domain,
                             String env, String service, String owner, String costCenter) {

    /** The defaults of CONVENTIONS.md. */
    public static RequiredLabels defaults() {
        return new RequiredLabels("app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/part-of",
                "app.kubernetes.io/managed-by", "platform/domain", "platform/env", "platform/service", "platform/owner",
                "platform/cost-center");
    }

    /** All nine keys, in the documented order. */
    public List<String> keys() {
        return List.of(name, instance, partOf, managedBy, domain, env, service, owner, costCenter);
    }

    /**
     * The labels for one thing in one environment, in the documented order.
     *
     * @param key        the thing's semantic key
     * @param system     the Backstage System it is part of
     * @param ownerGroup the owning group, e.g. {@code team-payments}
     * @param costCentre the owning group's cost centre
     */
    public Map<String, String> valuesFor(SemanticKey key, String system, String ownerGroup, String costCentre) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(name, key.service());
        labels.put(instance, key.toString());
        labels.put(partOf, system);
        labels.put(managedBy, "argocd");
        labels.put(domain, key.domain());
        labels.put(env, key.env());
        labels.put(service, key.service());
        labels.put(owner, ownerGroup);
        labels.put(costCenter, costCentre);
        return labels;
    }
}
