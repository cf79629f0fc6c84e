package dev.paver.core.convention;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conventions gate for manifests: given the files of a GitOps repository (or the files a run is about to
 * push), returns every broken rule of CONVENTIONS.md. Overlays under
 * {@code apps/{system}/{service}/overlays/{env}/} are checked as {@link KustomizeView} builds them, with
 * the names and labels expected for {@code {domain}-{env}-{service}}; other manifests are checked as they are.
 *
 * <p>Rules: {@code yaml}, {@code kustomize}, {@code semantic-key} (Namespace name, namespace of every namespaced
 * resource), {@code dns-label} (names), {@code required-label} and {@code label-value} (the nine labels on
 * Namespaces, workloads and pod templates), {@code resources} (requests and limits on every container),
 * {@code non-root}, {@code readiness-probe}, {@code image-tag} (no {@code latest} or untagged image in prod) and
 * {@code no-plain-secret}.
 */
public final class ManifestRules {

    private static final Pattern OVERLAY = Pattern.compile("apps/([^/]+)/([^/]+)/overlays/([^/]+)/kustomization\\.yaml");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

    private final Conventions conventions;

    /** @param conventions the environments, labels and profiles manifests are checked against */
    public ManifestRules(Conventions conventions) {
        this.conventions = Objects.requireNonNull(conventions);
    }

    /**
     * @param files  repository-relative path to text; only {@code .yaml}/{@code .yml} files are read
     * @param domain the repository's domain when known (a run knows it), or null to take it from the labels
     * @return violations sorted by file and line; empty when everything holds
     */
    public List<Violation> check(Map<String, String> files, String domain) {
        List<Violation> out = new ArrayList<>();
        Set<String> reachedByOverlay = new HashSet<>();
        Map<String, String> sorted = new TreeMap<>(files);
        for (String path : sorted.keySet()) {
            Matcher m = OVERLAY.matcher(path);
            if (!m.matches()) {
                continue;
            }
            String directory = path.substring(0, path.length() - "/kustomization.yaml".length());
            OverlayContext ctx = new OverlayContext(m.group(1), m.group(2), m.group(3), domain);
            KustomizeView view = new KustomizeView(files);
            boolean built = false;
            try {
                checkOverlay(ctx, path, view.build(directory), out);
                built = true;
            } catch (YamlDocuments.InvalidYamlException e) {
                out.add(e.toViolation());
                reachedByOverlay.add(e.file());
            } catch (KustomizeView.KustomizeException e) {
                out.add(new Violation(e.file(), 0, "kustomize", path, e.getMessage()));
            }
            reachedByOverlay.addAll(view.filesRead());
            if (!built) {
                // the overlay's own files (its patches above all) are parts of a build that failed, not manifests
                // on their own: checking them alone would report rules the built overlay keeps
                sorted.keySet().stream().filter(p -> p.startsWith(directory + "/")).forEach(reachedByOverlay::add);
            }
        }
        for (Map.Entry<String, String> file : sorted.entrySet()) {
            String path = file.getKey();
            if (reachedByOverlay.contains(path) || !(path.endsWith(".yaml") || path.endsWith(".yml"))
                    || path.startsWith(".github/") || path.endsWith("kustomization.yaml")) {
                continue;
            }
            try {
                for (ManifestDocument doc : YamlDocuments.parse(path, file.getValue())) {
                    checkLoose(doc, out);
                }
            } catch (YamlDocuments.InvalidYamlException e) {
                out.add(e.toViolation());
            }
        }
        out.sort((a, b) -> a.file().equals(b.file()) ? Integer.compare(a.line(), b.line()) : a.file().compareTo(b.file()));
        return List.copyOf(new java.util.LinkedHashSet<>(out));
    }

    private record OverlayContext(String system, String service, String env, String domain) {
    }

    private void checkOverlay(OverlayContext ctx, String overlayFile, List<ManifestDocument> docs, List<Violation> out) {
        if (!conventions.environments().contains(ctx.env())) {
            out.add(new Violation(overlayFile, 0, "environment", overlayFile, "overlay '" + ctx.env()
                    + "' is not one of the environments " + conventions.environments()));
            return;
        }
        String domain = ctx.domain();
        if (domain == null) {
            domain = docs.stream().filter(d -> d.kind().equals("Namespace"))
                    .map(d -> ManifestDocument.text(labels(d.body()).get(conventions.labels().domain())))
                    .filter(s -> !s.isEmpty()).findFirst().orElse(null);
        }
        if (domain == null || !Names.isDnsLabel(domain)) {
            out.add(new Violation(overlayFile, 0, "semantic-key", overlayFile, "overlay " + ctx.env() + " of "
                    + ctx.service() + " has no Namespace with a valid " + conventions.labels().domain()
                    + " label, so its {domain}-{env}-{service} key is unknown"));
            return;
        }
        String key = domain + "-" + ctx.env() + "-" + ctx.service();
        boolean hasNamespace = false;
        for (ManifestDocument doc : docs) {
            String where = " (overlay " + ctx.env() + ")";
            checkName(doc, out);
            if (doc.kind().equals("Secret")) {
                out.add(violation(doc, "no-plain-secret", doc.describe() + " is a plain Secret: commit a SealedSecret instead"));
            }
            if (doc.kind().equals("Namespace")) {
                hasNamespace = true;
                if (!doc.name().equals(key)) {
                    out.add(violation(doc, "semantic-key", "Namespace " + Names.quote(doc.name()) + " must be named "
                            + key + " ({domain}-{env}-{service})" + where));
                }
                checkLabels(doc, labels(doc.body()), ctx, domain, key, "", out);
            } else if (!doc.namespace().equals(key)) {
                out.add(violation(doc, "semantic-key", doc.describe() + " is in namespace "
                        + (doc.namespace().isEmpty() ? "(none)" : Names.quote(doc.namespace())) + ", expected " + key + where));
            }
            if (KustomizeView.WORKLOADS.contains(doc.kind())) {
                checkLabels(doc, labels(doc.body()), ctx, domain, key, "", out);
                Map<String, Object> template = KustomizeView.podTemplate(KustomizeView.deepCopy(doc.body()), doc.kind());
                checkLabels(doc, labels(template), ctx, domain, key, " pod template", out);
                checkContainers(doc, template, ctx.env(), out);
            }
        }
        if (!hasNamespace) {
            out.add(new Violation(overlayFile, 0, "semantic-key", overlayFile, "overlay " + ctx.env()
                    + " has no Namespace " + key));
        }
    }

    private void checkLoose(ManifestDocument doc, List<Violation> out) {
        if (doc.kind().isEmpty()) {
            return;
        }
        checkName(doc, out);
        if (doc.kind().equals("Secret")) {
            out.add(violation(doc, "no-plain-secret", doc.describe() + " is a plain Secret: commit a SealedSecret instead"));
        }
        if (KustomizeView.WORKLOADS.contains(doc.kind())) {
            Map<String, Object> template = KustomizeView.podTemplate(KustomizeView.deepCopy(doc.body()), doc.kind());
            String env = ManifestDocument.text(labels(doc.body()).get(conventions.labels().env()));
            checkContainers(doc, template, env, out);
        }
    }

    private void checkName(ManifestDocument doc, List<Violation> out) {
        Object rawName = ManifestDocument.map(doc.body(), "metadata").get("name");
        if (rawName != null && !(rawName instanceof String)) {
            out.add(violation(doc, "yaml-type", doc.kind() + " metadata.name " + rawName + " is a "
                    + rawName.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT) + " in YAML, not a string: quote it"));
            return;
        }
        String name = doc.name();
        boolean generated = !ManifestDocument.text(ManifestDocument.map(doc.body(), "metadata").get("generateName")).isEmpty();
        if (name.isEmpty() && !generated) {
            out.add(violation(doc, "dns-label", doc.kind() + " has no metadata.name"));
        } else if (!name.isEmpty() && (doc.kind().equals("Namespace") || KustomizeView.WORKLOADS.contains(doc.kind())
                || doc.kind().equals("Service")) && !Names.isDnsLabel(name)) {
            out.add(violation(doc, "dns-label", doc.describe() + ": name " + Names.quote(name) + " is not a DNS-1123 label"));
        }
    }

    private void checkLabels(ManifestDocument doc, Map<String, Object> labels, OverlayContext ctx, String domain,
                             String key, String part, List<Violation> out) {
        RequiredLabels l = conventions.labels();
        Map<String, String> expected = new TreeMap<>(Map.of(
                l.name(), ctx.service(), l.instance(), key, l.partOf(), ctx.system(), l.managedBy(), "argocd",
                l.domain(), domain, l.env(), ctx.env(), l.service(), ctx.service()));
        for (String labelKey : l.keys()) {
            String value = ManifestDocument.text(labels.get(labelKey));
            if (value.isEmpty()) {
                out.add(violation(doc, "required-label", doc.describe() + part + " lacks label " + labelKey
                        + " (overlay " + ctx.env() + ")"));
            } else if (expected.containsKey(labelKey) && !expected.get(labelKey).equals(value)) {
                out.add(violation(doc, "label-value", doc.describe() + part + " has " + labelKey + "="
                        + Names.quote(value) + ", expected " + expected.get(labelKey) + " (overlay " + ctx.env() + ")"));
            } else if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
                out.add(violation(doc, "label-value", doc.describe() + part + " has " + labelKey + "="
                        + Names.quote(value) + ", which is not a valid label value"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void checkContainers(ManifestDocument doc, Map<String, Object> template, String env, List<Violation> out) {
        Map<String, Object> podSpec = ManifestDocument.map(template, "spec");
        boolean podNonRoot = Boolean.TRUE.equals(ManifestDocument.map(podSpec, "securityContext").get("runAsNonRoot"));
        List<Object> containers = ManifestDocument.list(podSpec, "containers");
        if (containers.isEmpty()) {
            out.add(violation(doc, "resources", doc.describe() + " has no containers"));
        }
        List<Object> all = new ArrayList<>(containers);
        all.addAll(ManifestDocument.list(podSpec, "initContainers"));
        for (Object o : all) {
            if (!(o instanceof Map<?, ?>)) {
                continue;
            }
            Map<String, Object> c = (Map<String, Object>) o;
            String name = doc.describe() + " container " + Names.quote(ManifestDocument.text(c.get("name")));
            Map<String, Object> resources = ManifestDocument.map(c, "resources");
            for (String kind : List.of("requests", "limits")) {
                for (String resource : List.of("cpu", "memory")) {
                    if (ManifestDocument.text(ManifestDocument.map(resources, kind).get(resource)).isEmpty()) {
                        out.add(violation(doc, "resources", name + " has no " + kind + "." + resource
                                + " (use a resource profile: " + String.join(", ", conventions.profileNames()) + ")"));
                    }
                }
            }
            boolean nonRoot = podNonRoot || Boolean.TRUE.equals(ManifestDocument.map(c, "securityContext").get("runAsNonRoot"));
            if (!nonRoot) {
                out.add(violation(doc, "non-root", name + " does not set securityContext.runAsNonRoot: true"));
            }
            if (containers.contains(o) && c.get("readinessProbe") == null) {
                out.add(violation(doc, "readiness-probe", name + " has no readinessProbe"));
            }
            String image = ManifestDocument.text(c.get("image"));
            String tag = KustomizeView.imageTag(image);
            boolean prod = !conventions.environments().isEmpty()
                    && env.equals(conventions.environments().get(conventions.environments().size() - 1));
            if (prod && !image.contains("@") && (tag.isEmpty() || tag.equals("latest"))) {
                out.add(violation(doc, "image-tag", name + " uses image " + Names.quote(image) + " in " + env
                        + ": pin a version tag or digest"));
            }
        }
    }

    private static Map<String, Object> labels(Map<String, Object> body) {
        return ManifestDocument.map(ManifestDocument.map(body, "metadata"), "labels");
    }

    private static Violation violation(ManifestDocument doc, String rule, String message) {
        return new Violation(doc.file(), doc.line(), rule, doc.describe(), message);
    }
}
