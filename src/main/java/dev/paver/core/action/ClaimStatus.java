package dev.paver.core.action;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A snapshot of a Crossplane claim (v1) or composite resource (XR, v1 or v2), the composite a claim is bound to, and
 * the resources composed for it, as {@link ProvisioningPort#status} read them in one check. Condition types and
 * reasons are Crossplane's ({@code apis/core/v2/condition.go} of crossplane/crossplane: {@code Ready} with reasons
 * {@code Available}, {@code Unavailable}, {@code Creating}, {@code Deleting}; {@code Synced} with
 * {@code ReconcileSuccess}, {@code ReconcileError}, {@code ReconcilePaused}); a claim whose composite is not Ready
 * says {@code Ready=False} with reason {@code Waiting} (the claim reconciler), and a composite whose composed
 * resources are not all Ready says {@code Ready=False}, {@code Creating}, "Unready resources: a, b" (the composite
 * reconciler).
 *
 * @param resource                  the claim or XR the step follows
 * @param composite                 for a claim, the XR of its {@code spec.resourceRef}; null for an XR, and for a
 *                                  claim not bound to an XR yet
 * @param composed                  the XR's composed resources, in the order of its {@code spec.resourceRefs} (v1)
 *                                  or {@code spec.crossplane.resourceRefs} (v2); empty when none are known yet
 * @param connectionSecret          the name of the Secret Crossplane writes the connection details to: a claim's
 *                                  {@code spec.writeConnectionSecretToRef.name}; for an XR the same field when its
 *                                  definition has one (v2 XRs have no such Crossplane field: a platform may define it,
 *                                  and its composition then composes the Secret); empty when none is named. Only the
 *                                  name: the Secret itself is never read
 * @param connectionSecretNamespace the Secret's namespace: the claim's (a claim's reference is local), else the
 *                                  reference's {@code namespace} or the XR's; empty when no Secret is named
 */
public record ClaimStatus(Resource resource, Resource composite, List<Resource> composed, String connectionSecret,
                          String connectionSecretNamespace) {

    /** Crossplane's condition types that Paver reads. */
    public static final String READY = "Ready";
    public static final String SYNCED = "Synced";

    public ClaimStatus {
        composed = List.copyOf(composed);
        connectionSecret = connectionSecret == null ? "" : connectionSecret;
        connectionSecretNamespace = connectionSecretNamespace == null ? "" : connectionSecretNamespace;
    }

    /** One entry of {@code status.conditions}; {@code status} is {@code True}, {@code False} or {@code Unknown}. */
    public record Condition(String type, String status, String reason, String message) {
        public Condition {
            type = type == null ? "" : type;
            status = status == null ? "" : status;
            reason = reason == null ? "" : reason;
            message = message == null ? "" : message.strip();
        }

        /** {@code Ready False (Creating: Unready resources: instance)}; the message trimmed to {@code maxMessage} characters. */
        public String describe(int maxMessage) {
            String m = trim(message, maxMessage);
            return type + " " + (status.isEmpty() ? "Unknown" : status)
                    + (reason.isEmpty() && m.isEmpty() ? "" : " (" + reason + (reason.isEmpty() || m.isEmpty() ? "" : ": ") + m + ")");
        }
    }

    /** What a check could see of a referenced object. */
    public enum Presence {
        /** it exists and was read */
        FOUND,
        /** it exists and is being deleted ({@code metadata.deletionTimestamp} is set) */
        DELETING,
        /** the API server has no such object (not created yet, or deleted) */
        MISSING,
        /** Paver may not read it, or its kind is not served; {@link Resource#note()} says which */
        UNREADABLE,
        /** Paver does not read it by policy: a composed {@code v1 Secret} (connection details) */
        NOT_READ
    }

    /**
     * One object of the chain.
     *
     * @param apiVersion              {@code group/version}, e.g. {@code rds.aws.upbound.io/v1beta1}
     * @param kind                    e.g. {@code Instance}
     * @param namespace               empty for a cluster-scoped object (v1 composites and managed resources)
     * @param name                    {@code metadata.name}
     * @param compositionResourceName the annotation {@code crossplane.io/composition-resource-name} of a composed
     *                                resource (the name its composition gives it, which the XR's "Unready resources"
     *                                message uses), or empty
     * @param presence                what the check saw
     * @param note                    why it could not be read ({@link Presence#UNREADABLE}, {@link Presence#NOT_READ}),
     *                                else empty
     * @param conditions              its {@code status.conditions}, in order; empty when none or not read
     */
    public record Resource(String apiVersion, String kind, String namespace, String name, String compositionResourceName,
                           Presence presence, String note, List<Condition> conditions) {
        public Resource {
            namespace = namespace == null ? "" : namespace;
            compositionResourceName = compositionResourceName == null ? "" : compositionResourceName;
            note = note == null ? "" : note;
            conditions = List.copyOf(conditions);
        }

        /** The condition of that type, if the object has one. */
        public Optional<Condition> condition(String type) {
            return conditions.stream().filter(c -> c.type().equals(type)).findFirst();
        }

        /** {@code Ready=True}: Crossplane's meaning of a usable resource. */
        public boolean ready() {
            return condition(READY).map(c -> "True".equals(c.status())).orElse(false);
        }

        /** Being deleted: {@code metadata.deletionTimestamp} is set, or Ready's reason is {@code Deleting}. */
        public boolean deleting() {
            return presence == Presence.DELETING
                    || condition(READY).map(c -> "Deleting".equals(c.reason())).orElse(false);
        }

        /** {@code Synced=False} with reason {@code ReconcileError}: Crossplane could not reconcile it and retries. */
        public Optional<Condition> reconcileError() {
            return condition(SYNCED).filter(c -> "False".equals(c.status()) && "ReconcileError".equals(c.reason()));
        }

        /** {@code Synced=False} with reason {@code ReconcilePaused}: the annotation {@code crossplane.io/paused} is set. */
        public boolean paused() {
            return condition(SYNCED).map(c -> "False".equals(c.status()) && "ReconcilePaused".equals(c.reason())).orElse(false);
        }

        /** {@code Instance api-postgres-main-x7k2p}. */
        public String describe() {
            return kind + " " + name;
        }

        /** {@code instance.rds.aws.upbound.io}: the resource type as kubectl accepts it. */
        public String kubectlType() {
            return ClaimStatus.kubectlType(apiVersion, kind);
        }
    }

    /** Ready=True on the claim or XR: the step is done (Crossplane's reason is {@code Available}). */
    public boolean ready() {
        return resource.ready();
    }

    /** The claim or XR, its composite (if any) and the composed resources, in that order. */
    public List<Resource> chain() {
        List<Resource> all = new ArrayList<>();
        all.add(resource);
        if (composite != null) {
            all.add(composite);
        }
        all.addAll(composed);
        return all;
    }

    /** The objects of the chain that say {@code Synced=False, ReconcileError}, claim first. */
    public List<Resource> reconcileErrors() {
        return chain().stream().filter(r -> r.reconcileError().isPresent()).toList();
    }

    /** The XR: the composite of a claim, or the followed resource itself when it is an XR (or unbound claim). */
    public Resource xr() {
        return composite != null ? composite : resource;
    }

    /**
     * The composed resources that keep the XR from being Ready: those not created yet, unreadable ones, those whose
     * Ready condition is not True, and those without any Ready condition that the XR's "Unready resources" message
     * names (a composed ConfigMap has no conditions; the composition decides its readiness). Secrets, which Paver
     * never reads, are left out.
     */
    public List<Resource> notReady() {
        Set<String> named = unreadyNames(xr().condition(READY).map(Condition::message).orElse(""));
        return composed.stream().filter(r -> switch (r.presence()) {
            case NOT_READ -> false;
            case MISSING, UNREADABLE, DELETING -> true;
            case FOUND -> r.condition(READY).map(c -> !"True".equals(c.status()))
                    .orElse(named.contains(r.compositionResourceName()) || named.contains(r.name()));
        }).toList();
    }

    /** The resource names of Crossplane's {@code Unready resources: a, b, and c} (or {@code ..., and 3 more}). */
    static Set<String> unreadyNames(String message) {
        String prefix = "Unready resources:";
        int at = message.indexOf(prefix);
        if (at < 0) {
            return Set.of();
        }
        Set<String> names = new HashSet<>();
        for (String part : message.substring(at + prefix.length()).split(",")) {
            String name = part.strip();
            if (name.startsWith("and ")) {
                name = name.substring(4).strip();
            }
            if (!name.isEmpty() && !name.matches("\\d+ more")) {
                names.add(name);
            }
        }
        return names;
    }

    /** {@code instance.rds.aws.upbound.io}: a kind and the group of {@code apiVersion}, as kubectl accepts them. */
    public static String kubectlType(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        return kind.toLowerCase(Locale.ROOT) + (group.isEmpty() ? "" : "." + group);
    }

    /** {@code text} cut to {@code max} characters, ending with an ellipsis when cut. */
    public static String trim(String text, int max) {
        if (text == null) {
            return "";
        }
        String t = text.strip();
        return t.length() <= max ? t : t.substring(0, Math.max(0, max - 1)).strip() + "…";
    }
}
