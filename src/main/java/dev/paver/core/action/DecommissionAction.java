package dev.paver.core.action;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RepositoryNames;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * {@code paver:decommission:render}: prepares the removal of a service from its domain's GitOps repository, in the
 * layout of CONVENTIONS.md ("The domain GitOps repository"). Reads the default branch and lists, as repository paths
 * for {@code publish:github:pull-request}'s {@code deletions}: the service's folder {@code apps/{system}/{service}/}
 * (base and every overlay), its catalog Component {@code catalog/components/{service}.yaml}, its SealedSecrets
 * {@code secrets/{env}/{service}/}, its group bindings {@code rbac/groups/{env}/{group}/{service}.yaml} and the Crossplane claims of its namespaces ({@code crossplane/claims/{env}/*.yaml}
 * whose {@code metadata.namespace} is {@code {domain}-{env}-{service}}) in every environment but production.
 *
 * <p>Production's claims are not deleted: they keep {@code spec.parameters.deletionPolicy: Orphan} (CONVENTIONS.md:
 * "prod claims carry deletionPolicy: Orphan"), and one that lacks it gets it, written into the workspace under
 * {@code targetPath}, so that the pull request can never delete a production cloud resource; a thread reply names them.
 *
 * <p>Inputs: {@code repository}, {@code domain}, {@code system}, {@code service}, {@code environments} (the list, in
 * promotion order), {@code production} (the production environment's name), {@code targetPath}. Output:
 * {@code deletions} (repository paths), {@code inProduction} (true when the service has a production overlay, claim or
 * secret: the run then needs a second person's approval), {@code deletedClaims} and {@code keptClaims} (claim names),
 * {@code changed} (the claim files given Orphan). Fails, changing nothing, when the repository has neither the
 * service's folder nor its Component. Pure: it reads and renders only.
 */
public final class DecommissionAction implements Action {

    private static final String ORPHAN = "Orphan";

    private final RepositoryPort repositories;

    /** @param repositories the git host, read only */
    public DecommissionAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    @Override
    public String id() {
        return "paver:decommission:render";
    }

    @Override
    public boolean pure() {
        return true;
    }

    /** @throws IllegalArgumentException naming the input when a name would not make a safe repository path */
    @Override
    public ActionResult execute(ActionContext ctx) {
        String repository = RepositoryNames.repository(ctx, repositories.location());
        String domain = ctx.required("domain");
        String system = ctx.required("system");
        String service = ctx.required("service");
        String production = ctx.required("production");
        String target = RepositoryNames.folder(ctx.text("targetPath"));
        List<String> environments = new ArrayList<>();
        if (ctx.input().get("environments") instanceof List<?> envs) {
            envs.forEach(e -> environments.add(String.valueOf(e)));
        }
        if (!environments.contains(production)) {
            environments.add(production);
        }

        String folder = RepositoryNames.path("apps/" + system + "/" + service);
        String component = RepositoryNames.path("catalog/components/" + service + ".yaml");
        Map<String, String> apps = repositories.readFiles(repository, folder);
        List<String> deletions = new ArrayList<>();
        if (!apps.isEmpty()) {
            deletions.add(folder);
        }
        if (!repositories.existing(repository, List.of(component)).isEmpty()) {
            deletions.add(component);
        }
        if (deletions.isEmpty()) {
            return new ActionResult.Failed(repository + " has neither " + folder + "/ nor " + component + " on its default "
                    + "branch: there is no service " + service + " in system " + system + " to delete. Nothing was changed.",
                    List.of());
        }
        boolean inProduction = apps.keySet().stream().anyMatch(p -> p.startsWith(folder + "/overlays/" + production + "/"));

        List<String> deletedClaims = new ArrayList<>();
        List<String> keptClaims = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        for (String env : environments) {
            String secrets = RepositoryNames.path("secrets/" + env + "/" + service);
            if (!repositories.readFiles(repository, secrets).isEmpty()) {
                deletions.add(secrets);
                inProduction |= env.equals(production);
            }
            // the service's group bindings, rbac/groups/{env}/{group}/{service}.yaml (docs/golden-paths.md, "Group access")
            String groups = RepositoryNames.path("rbac/groups/" + env);
            for (String path : repositories.readFiles(repository, groups).keySet()) {
                String[] parts = path.substring(groups.length() + 1).split("/");
                if (parts.length == 2 && parts[1].equals(service + ".yaml")) {
                    deletions.add(path);
                }
            }
            String namespace = domain + "-" + env + "-" + service;
            Map<String, String> claims = repositories.readFiles(repository, RepositoryNames.path("crossplane/claims/" + env));
            for (Map.Entry<String, String> file : claims.entrySet()) {
                Claim claim = claim(file.getValue(), namespace);
                if (claim == null) {
                    continue;
                }
                if (!env.equals(production)) {
                    deletions.add(file.getKey());
                    deletedClaims.add(claim.name() + " (" + env + ")");
                    continue;
                }
                inProduction = true;
                keptClaims.add(claim.name());
                if (!ORPHAN.equals(claim.policy())) {
                    ctx.workspace().put(target + file.getKey(), orphaned(file.getValue(), claim));
                    changed.add(file.getKey());
                }
            }
        }

        Map<String, Object> output = new LinkedHashMap<>();
        output.put("deletions", List.copyOf(deletions));
        output.put("inProduction", inProduction);
        output.put("deletedClaims", List.copyOf(deletedClaims));
        output.put("keptClaims", List.copyOf(keptClaims));
        output.put("changed", List.copyOf(changed));
        List<Milestone> milestones = new ArrayList<>();
        if (!keptClaims.isEmpty()) {
            milestones.add(Milestone.of("orphaned", "The " + production + " claims of " + service + " are not deleted: "
                    + String.join(", ", keptClaims) + " keep deletionPolicy: Orphan"
                    + (changed.isEmpty() ? "" : " (set now in " + String.join(", ", changed) + ")")
                    + " in crossplane/claims/" + production + "/, so their cloud resources stay. Delete them on purpose "
                    + "once their data is safe."));
        }
        String detail = deletions.size() + (deletions.size() == 1 ? " path" : " paths") + " to remove"
                + (deletedClaims.isEmpty() ? "" : ", claims deleted: " + String.join(", ", deletedClaims))
                + (keptClaims.isEmpty() ? "" : ", " + production + " claims kept (Orphan): " + String.join(", ", keptClaims));
        return new ActionResult.Done(output, detail, milestones);
    }

    /** A claim of the namespace: its name, and the scalar of its deletion policy when it has one. */
    private record Claim(String name, String policy, ScalarNode policyNode) {
    }

    /** The claim the file holds when its namespace is {@code namespace}, else null (other services, unreadable files). */
    private static Claim claim(String text, String namespace) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (RuntimeException e) {
            return null;
        }
        if (!(root instanceof MappingNode doc) || !(value(doc, "metadata") instanceof MappingNode metadata)
                || !(value(metadata, "namespace") instanceof ScalarNode ns) || !ns.getValue().equals(namespace)) {
            return null;
        }
        String name = value(metadata, "name") instanceof ScalarNode n ? n.getValue() : "";
        ScalarNode policy = value(doc, "spec") instanceof MappingNode spec
                && value(spec, "parameters") instanceof MappingNode parameters
                && value(parameters, "deletionPolicy") instanceof ScalarNode p ? p : null;
        return new Claim(name, policy == null ? null : policy.getValue(), policy);
    }

    /**
     * The claim's text with {@code spec.parameters.deletionPolicy: Orphan}: the one scalar replaced where it stands
     * (the rest kept byte for byte), or, when the claim has none, the document written again with it.
     */
    @SuppressWarnings("unchecked")
    private static String orphaned(String text, Claim claim) {
        if (claim.policyNode() != null) {
            // SnakeYAML's marks count code points
            int start = text.offsetByCodePoints(0, claim.policyNode().getStartMark().getIndex());
            int end = text.offsetByCodePoints(0, claim.policyNode().getEndMark().getIndex());
            return text.substring(0, start) + ORPHAN + text.substring(end);
        }
        Map<String, Object> doc = new Yaml(new LoaderOptions()).load(text);
        Map<String, Object> spec = (Map<String, Object>) doc.computeIfAbsent("spec", k -> new LinkedHashMap<>());
        Map<String, Object> parameters = (Map<String, Object>) spec.computeIfAbsent("parameters", k -> new LinkedHashMap<>());
        parameters.put("deletionPolicy", ORPHAN);
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(options).dump(doc);
    }

    private static Node value(MappingNode map, String key) {
        for (NodeTuple t : map.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                return t.getValueNode();
            }
        }
        return null;
    }
}
