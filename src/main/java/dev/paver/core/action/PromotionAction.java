package dev.paver.core.action;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RepositoryNames;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code paver:promotion:render}: prepares a promotion in the domain's GitOps repository. Reads the service folder
 * {@code apps/{system}/{service}/} from the default branch, takes the image tag of the previous environment's overlay
 * ({@code images[].newTag} of its {@code kustomization.yaml}: the entry whose name ends in {@code /{service}}, else the
 * only one), or the {@code revision} given, and writes it into the target environment's overlay, changing that one
 * scalar in place (comments and layout stay). The whole service folder goes into the workspace under
 * {@code targetPath}, so that {@code paver:conventions:validate} checks the overlay with its base (a prod overlay
 * may not use {@code latest}). Inputs: {@code repository}, {@code system}, {@code service}, {@code from}, {@code to},
 * {@code revision} (optional), {@code targetPath}. Output: {@code revision}, {@code previousRevision} (what the
 * target ran), {@code file} (the changed path, repository-relative). Fails, changing nothing, when an overlay or its
 * image entry is missing or the target already runs the revision.
 */
public final class PromotionAction implements Action {

    /** A container image tag (the OCI distribution spec's tag grammar). */
    public static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

    private final RepositoryPort repositories;

    public PromotionAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    @Override
    public String id() {
        return "paver:promotion:render";
    }

    @Override
    public boolean pure() {
        return true;
    }

    @Override
    public ActionResult execute(ActionContext ctx) {
        String repository = RepositoryNames.repository(ctx, repositories.location());
        String folder = RepositoryNames.path("apps/" + ctx.required("system") + "/" + ctx.required("service"));
        String service = ctx.required("service");
        String from = ctx.required("from");
        String to = ctx.required("to");
        Map<String, String> files = repositories.readFiles(repository, folder);
        String fromFile = folder + "/overlays/" + from + "/kustomization.yaml";
        String toFile = folder + "/overlays/" + to + "/kustomization.yaml";
        for (String needed : List.of(fromFile, toFile)) {
            if (!files.containsKey(needed)) {
                return new ActionResult.Failed(repository + " has no " + needed + ": " + service + " has no "
                        + (needed.equals(fromFile) ? from : to) + " overlay to promote " + (needed.equals(fromFile) ? "from" : "to")
                        + ". Nothing was changed.", List.of());
            }
        }
        ScalarNode fromTag;
        ScalarNode toTag;
        try {
            fromTag = newTag(files.get(fromFile), service, fromFile);
            toTag = newTag(files.get(toFile), service, toFile);
        } catch (IllegalStateException e) {
            return new ActionResult.Failed(e.getMessage() + ". Nothing was changed.", List.of());
        }
        String revision = ctx.text("revision").isEmpty() ? fromTag.getValue() : ctx.text("revision");
        if (!TAG.matcher(revision).matches()) {
            return new ActionResult.Failed("the image tag " + revision + " (from " + (ctx.text("revision").isEmpty() ? fromFile : "--revision")
                    + ") is not a valid image tag. Nothing was changed.", List.of());
        }
        if (revision.equals(toTag.getValue())) {
            return new ActionResult.Failed(service + " already runs " + revision + " in " + to + " (" + toFile
                    + "); there is nothing to promote. Nothing was changed.", List.of());
        }
        String text = files.get(toFile);
        // replace the one scalar where it stands: the rest of the file is kept byte for byte
        // (SnakeYAML's marks count code points)
        int start = text.offsetByCodePoints(0, toTag.getStartMark().getIndex());
        int end = text.offsetByCodePoints(0, toTag.getEndMark().getIndex());
        String changed = text.substring(0, start) + "\"" + revision + "\"" + text.substring(end);
        String target = RepositoryNames.folder(ctx.text("targetPath"));
        Map<String, String> promoted = new LinkedHashMap<>(files);
        promoted.put(toFile, changed);
        promoted.forEach((path, content) -> ctx.workspace().put(target + path, content));
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("revision", revision);
        output.put("previousRevision", toTag.getValue());
        output.put("file", toFile);
        return ActionResult.Done.of(output, to + ": " + toTag.getValue() + " → " + revision);
    }

    /** The {@code newTag} scalar of the service's {@code images} entry. */
    private static ScalarNode newTag(String text, String service, String file) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (RuntimeException e) {
            throw new IllegalStateException(file + " is not valid YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
        Node images = root instanceof MappingNode m ? value(m, "images") : null;
        if (!(images instanceof SequenceNode list) || list.getValue().isEmpty()) {
            throw new IllegalStateException(file + " has no images entry, so Paver cannot tell which image tag it deploys");
        }
        List<MappingNode> entries = new ArrayList<>();
        for (Node n : list.getValue()) {
            if (n instanceof MappingNode entry) {
                entries.add(entry);
            }
        }
        MappingNode chosen = entries.stream().filter(e -> value(e, "name") instanceof ScalarNode name
                        && (name.getValue().equals(service) || name.getValue().endsWith("/" + service)))
                .findFirst().orElse(entries.size() == 1 ? entries.get(0) : null);
        if (chosen == null) {
            throw new IllegalStateException(file + " lists several images and none is named .../" + service);
        }
        if (!(value(chosen, "newTag") instanceof ScalarNode tag)) {
            throw new IllegalStateException(file + ": the image entry of " + service + " has no newTag");
        }
        return tag;
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
