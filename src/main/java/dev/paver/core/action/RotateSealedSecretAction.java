package dev.paver.core.action;

import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.run.Action;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RepositoryNames;
import dev.paver.core.secret.Scope;
import dev.paver.core.secret.SealedSecretManifest;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * {@code paver:sealed-secret:rotate}: replaces one sealed value of an existing SealedSecret (as {@code create-secret}
 * or {@code kubeseal -o yaml} wrote it) with a new one. Reads {@code path} from the default branch of
 * {@code repository}, checks that it is the SealedSecret {@code name} in {@code namespace}, sealed in {@code scope}
 * (its {@code sealedsecrets.bitnami.com/*} annotations, {@link Scope}), with the data key {@code key} in
 * {@code spec.encryptedData}, and writes the file into the workspace under {@code targetPath} with that one value
 * replaced by {@code encryptedData[key]} (sealed at intake, as {@code platform.encryptedData} holds it), the rest kept
 * byte for byte. Output: {@code file} (the repository path), {@code keys} (the data keys the SealedSecret holds).
 *
 * <p>Fails, changing nothing, when the file does not exist, is not that SealedSecret, has no such key or another
 * scope. Messages name files, keys and scopes, never a value, old or new. Pure: it reads and renders only.
 */
public final class RotateSealedSecretAction implements Action {

    private final RepositoryPort repositories;

    /** @param repositories the git host, read only */
    public RotateSealedSecretAction(RepositoryPort repositories) {
        this.repositories = repositories;
    }

    @Override
    public String id() {
        return "paver:sealed-secret:rotate";
    }

    @Override
    public boolean pure() {
        return true;
    }

    /** @throws IllegalArgumentException naming the input when the path or the scope is not valid */
    @Override
    public ActionResult execute(ActionContext ctx) {
        String repository = RepositoryNames.repository(ctx, repositories.location());
        String path = RepositoryNames.path(ctx.required("path"));
        String namespace = ctx.required("namespace");
        String name = ctx.required("name");
        String key = ctx.required("key");
        Scope scope = Scope.parse(ctx.text("scope"));
        String target = RepositoryNames.folder(ctx.text("targetPath"));
        if (!(ctx.input().get("encryptedData") instanceof Map<?, ?> data) || !(data.get(key) instanceof String sealed)
                || sealed.isEmpty()) {
            return new ActionResult.Failed("step " + ctx.stepId() + ": input.encryptedData has no sealed value for the key "
                    + key, List.of());
        }
        int slash = path.lastIndexOf('/');
        String text = slash < 0 ? null : repositories.readFiles(repository, path.substring(0, slash)).get(path);
        if (text == null) {
            return failed(repository + " has no " + path + " on its default branch: there is no secret " + name + " in "
                    + namespace + " to rotate. Create it with /platform create-secret, or check the name and environment.");
        }
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(text));
        } catch (RuntimeException e) {
            return failed(path + " is not valid YAML, so Paver cannot rotate its value.");
        }
        if (!(root instanceof MappingNode doc) || !(value(doc, "kind") instanceof ScalarNode kind)
                || !kind.getValue().equals(SealedSecretManifest.KIND)) {
            return failed(path + " is not a SealedSecret.");
        }
        MappingNode metadata = value(doc, "metadata") instanceof MappingNode m ? m : null;
        String foundName = metadata != null && value(metadata, "name") instanceof ScalarNode n ? n.getValue() : "";
        String foundNamespace = metadata != null && value(metadata, "namespace") instanceof ScalarNode ns ? ns.getValue() : "";
        if (!foundName.equals(name) || !foundNamespace.equals(namespace)) {
            return failed(path + " is the SealedSecret " + foundName + " in " + foundNamespace + ", not " + name + " in "
                    + namespace + "; a value sealed for one does not unseal in the other.");
        }
        Scope found = scopeOf(metadata);
        if (found != scope) {
            return failed(path + " is sealed in the scope " + found.id() + ", not " + scope.id() + ": rotate it with scope "
                    + found.id() + ", so that the controller can unseal the new value.");
        }
        MappingNode encrypted = value(doc, "spec") instanceof MappingNode spec
                && value(spec, "encryptedData") instanceof MappingNode e ? e : null;
        List<String> keys = new ArrayList<>();
        ScalarNode old = null;
        if (encrypted != null) {
            for (NodeTuple t : encrypted.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    keys.add(k.getValue());
                    if (k.getValue().equals(key) && t.getValueNode() instanceof ScalarNode v) {
                        old = v;
                    }
                }
            }
        }
        if (old == null) {
            return failed(path + " has no key " + key + " (its keys: " + (keys.isEmpty() ? "none" : String.join(", ", keys))
                    + "); rotate one of those, or add a key with /platform create-secret.");
        }
        // replace the one scalar where it stands (SnakeYAML's marks count code points)
        int start = text.offsetByCodePoints(0, old.getStartMark().getIndex());
        int end = text.offsetByCodePoints(0, old.getEndMark().getIndex());
        ctx.workspace().put(target + path, text.substring(0, start) + sealed + text.substring(end));
        Map<String, Object> output = new LinkedHashMap<>();
        output.put("file", path);
        output.put("keys", List.copyOf(keys));
        return ActionResult.Done.of(output, "new sealed value for " + key + " in " + path);
    }

    private static ActionResult failed(String reason) {
        return new ActionResult.Failed(reason + " Nothing was changed.", List.of());
    }

    /** The scope the SealedSecret's annotations give it; strict without one. */
    private static Scope scopeOf(MappingNode metadata) {
        if (metadata != null && value(metadata, "annotations") instanceof MappingNode annotations) {
            for (Scope s : Scope.values()) {
                for (Map.Entry<String, String> a : s.annotations().entrySet()) {
                    if (value(annotations, a.getKey()) instanceof ScalarNode v && v.getValue().equals(a.getValue())) {
                        return s;
                    }
                }
            }
        }
        return Scope.STRICT;
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
