package dev.paver.core.access;

import java.util.List;
import java.util.Map;

/**
 * A RoleBinding the cluster holds that is labelled as Paver's ({@code app.kubernetes.io/managed-by: paver}), as
 * {@link AccessPort#bindings()} lists it: what the sweep compares with the stored grants.
 *
 * @param namespace   where it is, e.g. {@code payments-prod-api}
 * @param name        its name, e.g. {@code paver-<run id>}
 * @param roleKind    its roleRef's kind, {@code ClusterRole} for the bindings Paver writes
 * @param role        its roleRef's name, e.g. {@code edit}
 * @param subjects    its subjects as {@code kind/name}, e.g. {@code User/dana@acme.example}
 * @param annotations its annotations (Paver's carry the run and the expiry, {@code paver.dev/*})
 */
public record AccessBinding(String namespace, String name, String roleKind, String role, List<String> subjects,
                            Map<String, String> annotations) {

    public AccessBinding {
        subjects = subjects == null ? List.of() : List.copyOf(subjects);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    /** {@code RoleBinding paver-r-1 in payments-prod-api (ClusterRole edit for User/dana@acme.example)}: for logs and the audit. */
    public String describe() {
        return "RoleBinding " + name + " in " + namespace + " (" + roleKind + " " + role + " for "
                + (subjects.isEmpty() ? "nobody" : String.join(", ", subjects)) + ")";
    }
}
