package dev.paver.core.convention;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The conventions gate for manifests: given the files of a GitOps repository (or the files a run is about to
 * push), returns every broken rule of CONVENTIONS.md. Overlays under
 * {@code apps/{system}/{service}/overlays/{env}/} are checked as the {@link OverlayBuilder} builds them (a real
 * kustomize, as Argo CD does, or the built-in {@link KustomizeView}), with the names and labels expected for
 * {@code {domain}-{env}-{service}}. A manifest that no kustomization reaches is held to the same rules from its
 * folder's place: the files of an overlay folder without kustomization file (an Argo CD directory source) as one
 * overlay, a file elsewhere under {@code apps/{system}/{service}/} with the environment of its namespace. Other
 * manifests are checked as they are.
 *
 * <p>Rules, each named in its violations:
 * <ul>
 * <li>{@code yaml}, {@code kustomize}: the file cannot be read as YAML, or the overlay cannot be built;</li>
 * <li>{@code schema}: the manifest does not follow the schema of its kind ({@link ManifestSchemas}), checked on
 *     every document of an overlay build and on every other manifest, except the Backstage entities under
 *     {@code catalog/} and kustomize's own files ({@code kustomization.yaml}, {@code kustomize.config.k8s.io}
 *     kinds): they are not Kubernetes objects;</li>
 * <li>{@code semantic-key} (Namespace name, namespace of every namespaced resource of an overlay, names and
 *     namespaces of claims and SealedSecrets: CONVENTIONS.md, "The semantic key"), {@code dns-label} (names),
 *     {@code environment} (an overlay or folder names an environment that does not exist), {@code layout} (a file
 *     outside the folder layout of CONVENTIONS.md, "The domain GitOps repository");</li>
 * <li>{@code required-label} and {@code label-value} (the nine labels on Namespaces, workloads and pod templates),
 *     {@code resources} (requests and limits on every container, each a Kubernetes quantity, no request above its
 *     limit, as the API server requires), {@code non-root}, {@code readiness-probe},
 *     {@code image-tag} (no {@code latest} or untagged image in production): "The nine required labels" and
 *     "Resource profiles";</li>
 * <li>{@code no-plain-secret} anywhere, and under {@code secrets/{env}/{service}/} {@code sealed-secret} (only
 *     SealedSecrets, each value of {@code spec.encryptedData} non-empty base64);</li>
 * <li>under {@code crossplane/claims/{env}/}: {@code claim-kind} (only the platform's resource kinds,
 *     {@link Conventions#resourceKinds()}) and {@code deletion-protection} (a production claim has
 *     {@code spec.parameters.deletionPolicy: Orphan}: "prod claims carry deletionPolicy: Orphan");</li>
 * <li>under {@code rbac/groups/}: {@code layout} (only {@code rbac/groups/{env}/{group}/{service}.yaml}, an environment
 *     before production), {@code group-binding} (RoleBindings only, of the folder's group), {@code semantic-key} (in
 *     the namespace {@code {domain}-{env}-{service}} of the folders), {@code group-subjects} (bindings name
 *     identity-provider groups only) and {@code no-prod-developer-access} (no group bound in a production namespace or
 *     folder, nor cluster-wide): "Access" (docs/golden-paths.md, "Group access");</li>
 * <li>on a catalog Group ({@code catalog/}): {@code group-access} (its access annotations,
 *     {@link GroupAccessAnnotations}, well-formed and of the repository's domain), {@code environment} and
 *     {@code no-prod-developer-access} (their environments exist and are before production).</li>
 * </ul>
 * The production environment is {@link Conventions#productionEnvironment()}.
 */
public final class ManifestRules {

    private static final Pattern OVERLAY = Pattern.compile("apps/([^/]+)/([^/]+)/overlays/([^/]+)/(kustomization\\.ya?ml|Kustomization)");
    /** The image an {@code image-tag} message quotes: {@code uses image 'ghcr.io/acme/api:latest'}. */
    private static final Pattern QUOTED_IMAGE = Pattern.compile("uses image '([^']*)'");
    private static final Pattern PLAIN_OVERLAY_FILE = Pattern.compile("apps/([^/]+)/([^/]+)/overlays/([^/]+)/[^/]+\\.ya?ml");
    private static final Pattern SERVICE_FILE = Pattern.compile("apps/([^/]+)/([^/]+)/.+\\.ya?ml");
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final String ORPHAN = "Orphan";

    private final Conventions conventions;
    private final ManifestSchemas schemas;
    private final OverlayBuilder overlayBuilder;

    /**
     * The gate without schema checks (rule {@code schema} never fires).
     *
     * @param conventions the environments, labels and profiles manifests are checked against
     */
    public ManifestRules(Conventions conventions) {
        this(conventions, ManifestSchemas.NONE);
    }

    /**
     * @param conventions the environments, labels, profiles and resource kinds manifests are checked against
     * @param schemas     the schemas of the manifests' kinds
     */
    public ManifestRules(Conventions conventions, ManifestSchemas schemas) {
        this(conventions, schemas, OverlayBuilder.BUILT_IN);
    }

    /**
     * @param conventions    the environments, labels, profiles and resource kinds manifests are checked against
     * @param schemas        the schemas of the manifests' kinds
     * @param overlayBuilder builds the overlays as Argo CD does: a real kustomize, or {@link OverlayBuilder#BUILT_IN}
     */
    public ManifestRules(Conventions conventions, ManifestSchemas schemas, OverlayBuilder overlayBuilder) {
        this.conventions = Objects.requireNonNull(conventions);
        this.schemas = Objects.requireNonNull(schemas);
        this.overlayBuilder = Objects.requireNonNull(overlayBuilder);
    }

    /** How this gate builds overlays, for summaries. */
    public String overlayBuilder() {
        return overlayBuilder.describe();
    }

    /**
     * @param files  repository-relative path to text; only {@code .yaml}/{@code .yml} files are read
     * @param domain the repository's domain when known (a run knows it), or null to take it from the labels
     * @return violations sorted by file and line, each once; empty when everything holds
     */
    public List<Violation> check(Map<String, String> files, String domain) {
        List<Violation> out = new ArrayList<>();
        Set<String> reachedByOverlay = new HashSet<>();
        Map<String, String> sorted = new TreeMap<>(files);
        Map<String, OverlayContext> overlays = new LinkedHashMap<>();
        for (String path : sorted.keySet()) {
            Matcher m = OVERLAY.matcher(path);
            if (m.matches()) {
                String directory = path.substring(0, path.lastIndexOf('/'));
                overlays.putIfAbsent(directory, new OverlayContext(m.group(1), m.group(2), m.group(3), domain));
            }
        }
        List<String> toBuild = new ArrayList<>();
        for (String directory : overlays.keySet()) {
            Kustomizations.Reach reach = Kustomizations.reach(files, directory);
            reachedByOverlay.addAll(reach.files());
            if (reach.problems().isEmpty()) {
                toBuild.add(directory);
            } else {
                out.addAll(reach.problems());
                partsOfAFailedBuild(sorted, directory, reachedByOverlay);
            }
        }
        Map<String, OverlayBuilder.Build> builds = toBuild.isEmpty() ? Map.of() : overlayBuilder.build(files, toBuild);
        for (String directory : toBuild) {
            OverlayBuilder.Build build = builds.get(directory);
            if (build == null || !build.built()) {
                out.addAll(build == null ? List.of(new Violation(directory, 0, "kustomize", directory, "the overlay was not built"))
                        : build.problems());
                partsOfAFailedBuild(sorted, directory, reachedByOverlay);
                continue;
            }
            for (ManifestDocument doc : build.documents()) {
                out.addAll(schemas.check(doc));
            }
            String kustomization = Kustomizations.kustomizationFile(files, directory);
            List<Violation> found = new ArrayList<>();
            checkOverlay(overlays.get(directory), kustomization, build.documents(), found);
            found.forEach(v -> out.add(atOverlayImages(v, kustomization, files)));
        }
        Map<String, List<String>> directorySources = new TreeMap<>();
        for (Map.Entry<String, String> file : sorted.entrySet()) {
            String path = file.getKey();
            if (reachedByOverlay.contains(path) || !(path.endsWith(".yaml") || path.endsWith(".yml"))
                    || path.startsWith(".github/") || path.endsWith("kustomization.yaml") || path.endsWith("kustomization.yml")) {
                continue;
            }
            Matcher plain = PLAIN_OVERLAY_FILE.matcher(path);
            if (plain.matches() && Kustomizations.kustomizationFile(files, path.substring(0, path.lastIndexOf('/'))) == null) {
                directorySources.computeIfAbsent(path.substring(0, path.lastIndexOf('/')), d -> new ArrayList<>()).add(path);
                continue;
            }
            Matcher service = SERVICE_FILE.matcher(path);
            Place place = place(path, out);
            try {
                for (ManifestDocument doc : YamlDocuments.parse(path, file.getValue())) {
                    if (!path.startsWith("catalog/") && !doc.apiVersion().startsWith("kustomize.config.k8s.io/")) {
                        out.addAll(schemas.check(doc));
                    }
                    if (service.matches() && !doc.kind().isEmpty()) {
                        checkServiceFile(service.group(1), service.group(2), doc, domain, out);
                    } else {
                        checkLoose(doc, out);
                    }
                    checkPlace(place, doc, domain, out);
                }
            } catch (YamlDocuments.InvalidYamlException e) {
                out.add(e.toViolation());
            }
        }
        for (Map.Entry<String, List<String>> source : directorySources.entrySet()) {
            checkDirectorySource(source.getKey(), source.getValue(), sorted, domain, out);
        }
        out.sort((a, b) -> a.file().equals(b.file()) ? Integer.compare(a.line(), b.line()) : a.file().compareTo(b.file()));
        return List.copyOf(new LinkedHashSet<>(out));
    }

    /**
     * An {@code image-tag} violation whose image the overlay's {@code images:} field set (the built image is not
     * written in the file the document came from) points at that entry of the overlay's kustomization file, where the
     * user changes it, rather than at the base manifest; any other violation is returned as it is.
     */
    private static Violation atOverlayImages(Violation v, String kustomization, Map<String, String> files) {
        Matcher quoted = QUOTED_IMAGE.matcher(v.message());
        if (!v.rule().equals("image-tag") || kustomization == null || !quoted.find()
                || files.getOrDefault(v.file(), "").contains(quoted.group(1))) {
            return v;
        }
        String name = KustomizeView.imageName(quoted.group(1));
        try {
            for (ManifestDocument k : YamlDocuments.parse(kustomization, files.get(kustomization))) {
                List<Object> images = ManifestDocument.list(k.body(), "images");
                for (int i = 0; i < images.size(); i++) {
                    if (images.get(i) instanceof Map<?, ?> image && (name.equals(image.get("name"))
                            || name.equals(image.get("newName")))) {
                        return new Violation(kustomization, k.lineOf("/images/" + i + "/newTag"), v.rule(), v.subject(),
                                v.message() + " (set by images: of this overlay)");
                    }
                }
            }
        } catch (YamlDocuments.InvalidYamlException unreadable) {
            // the build read it; if this view cannot, the violation stays on the manifest
        }
        return v;
    }

    /**
     * The overlay's own files (its patches above all) are parts of a build that failed, not manifests on their own:
     * checking them alone would report rules the built overlay keeps.
     */
    private static void partsOfAFailedBuild(Map<String, String> files, String directory, Set<String> reached) {
        files.keySet().stream().filter(p -> p.startsWith(directory + "/")).forEach(reached::add);
    }

    /**
     * An overlay folder without kustomization file, which Argo CD applies as a directory source (its plain manifests,
     * not recursing into subfolders): held to the same rules as a built overlay, its place giving system, service and
     * environment.
     */
    private void checkDirectorySource(String directory, List<String> paths, Map<String, String> files, String domain,
                                      List<Violation> out) {
        Matcher m = PLAIN_OVERLAY_FILE.matcher(paths.get(0));
        if (!m.matches()) {
            return;
        }
        List<ManifestDocument> docs = new ArrayList<>();
        for (String path : paths) {
            try {
                for (ManifestDocument doc : YamlDocuments.parse(path, files.get(path))) {
                    if (!doc.kind().isEmpty()) {
                        out.addAll(schemas.check(doc));
                        docs.add(doc);
                    }
                }
            } catch (YamlDocuments.InvalidYamlException e) {
                out.add(e.toViolation());
            }
        }
        checkOverlay(new OverlayContext(m.group(1), m.group(2), m.group(3), domain), directory + "/", docs, out);
    }

    /**
     * A manifest under {@code apps/{system}/{service}/} that no kustomization reaches and no overlay folder holds: its
     * place gives system and service, its namespace ({@code {domain}-{env}-{service}}; a Namespace's own name) the
     * environment; then the rules of a built overlay's documents.
     */
    private void checkServiceFile(String system, String service, ManifestDocument doc, String domain, List<Violation> out) {
        String namespace = doc.kind().equals("Namespace") ? doc.name() : doc.namespace();
        Optional<SemanticKey> key = conventions.parseKey(namespace);
        String where = " (" + doc.file() + " is reached by no kustomization, so it is checked as it is, in "
                + "apps/" + system + "/" + service + "/)";
        if (key.isEmpty() || !key.get().service().equals(service) || (domain != null && !key.get().domain().equals(domain))
                || !conventions.environments().contains(key.get().env())) {
            checkLoose(doc, out);
            out.add(violationAt(doc, doc.kind().equals("Namespace") ? "/metadata/name" : "/metadata/namespace", "semantic-key",
                    doc.describe() + (doc.kind().equals("Namespace") ? " is named " : " is in namespace ")
                            + (namespace.isEmpty() ? "(none)" : Names.quote(namespace)) + ", expected {domain}-{env}-"
                            + service + " with an environment of " + conventions.environments() + where));
            return;
        }
        OverlayContext ctx = new OverlayContext(system, service, key.get().env(), key.get().domain());
        checkOverlayDocuments(ctx, key.get().domain(), key.get().domain() + "-" + key.get().env() + "-" + service,
                List.of(doc), out);
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
        if (!checkOverlayDocuments(ctx, domain, key, docs, out)) {
            out.add(new Violation(overlayFile, 0, "semantic-key", overlayFile, "overlay " + ctx.env()
                    + " has no Namespace " + key));
        }
    }

    /** The rules of an overlay's documents under its key; true when one of them is a Namespace. */
    private boolean checkOverlayDocuments(OverlayContext ctx, String domain, String key, List<ManifestDocument> docs,
                                          List<Violation> out) {
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
        return hasNamespace;
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
                    + rawName.getClass().getSimpleName().toLowerCase(Locale.ROOT) + " in YAML, not a string: quote it"));
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
        String pod = doc.kind().equals("CronJob") ? "/spec/jobTemplate/spec/template" : "/spec/template";
        for (int i = 0; i < all.size(); i++) {
            Object o = all.get(i);
            if (!(o instanceof Map<?, ?>)) {
                continue;
            }
            Map<String, Object> c = (Map<String, Object>) o;
            String at = pod + (i < containers.size() ? "/spec/containers/" + i : "/spec/initContainers/" + (i - containers.size()));
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
            checkQuantities(doc, at + "/resources", name, resources, out);
            boolean nonRoot = podNonRoot || Boolean.TRUE.equals(ManifestDocument.map(c, "securityContext").get("runAsNonRoot"));
            if (!nonRoot) {
                out.add(violation(doc, "non-root", name + " does not set securityContext.runAsNonRoot: true"));
            }
            if (containers.contains(o) && c.get("readinessProbe") == null) {
                out.add(violation(doc, "readiness-probe", name + " has no readinessProbe"));
            }
            String image = ManifestDocument.text(c.get("image"));
            String tag = KustomizeView.imageTag(image);
            boolean prod = env.equals(conventions.productionEnvironment());
            if (prod && !image.contains("@") && (tag.isEmpty() || tag.equals("latest"))) {
                out.add(violation(doc, "image-tag", name + " uses image " + Names.quote(image) + " in " + env
                        + ": pin a version tag or digest"));
            }
        }
    }

    /**
     * Requests and limits are Kubernetes quantities, and no request exceeds its limit: the API server refuses such a
     * pod ({@code ValidateResourceRequirements} in {@code kubernetes/pkg/apis/core/validation/validation.go}: "must be
     * less than or equal to ... limit"), so Argo CD could never sync it.
     */
    private static void checkQuantities(ManifestDocument doc, String at, String name, Map<String, Object> resources,
                                        List<Violation> out) {
        Map<String, Object> requests = ManifestDocument.map(resources, "requests");
        Map<String, Object> limits = ManifestDocument.map(resources, "limits");
        for (String resource : List.of("cpu", "memory")) {
            String request = ManifestDocument.text(requests.get(resource));
            String limit = ManifestDocument.text(limits.get(resource));
            boolean valid = true;
            for (String[] q : new String[][] {{"requests", request}, {"limits", limit}}) {
                if (!q[1].isEmpty() && Quantities.parse(q[1]).isEmpty()) {
                    out.add(violationAt(doc, at + "/" + q[0] + "/" + resource, "resources", name + " has " + q[0] + "."
                            + resource + " " + Names.quote(q[1])
                            + ", which is not a Kubernetes quantity (e.g. 500m, 1, 128Mi, 1Gi)"));
                    valid = false;
                }
            }
            if (valid && !request.isEmpty() && !limit.isEmpty()
                    && Quantities.parse(request).orElseThrow().compareTo(Quantities.parse(limit).orElseThrow()) > 0) {
                out.add(violationAt(doc, at + "/requests/" + resource, "resources", name + " requests " + resource + " "
                        + Names.quote(request)
                        + ", more than its limit " + Names.quote(limit) + ": Kubernetes refuses a request above the limit;"
                        + " fix the resource profile"));
            }
        }
    }

    private static Map<String, Object> labels(Map<String, Object> body) {
        return ManifestDocument.map(ManifestDocument.map(body, "metadata"), "labels");
    }

    private static Violation violation(ManifestDocument doc, String rule, String message) {
        return new Violation(doc.file(), doc.line(), rule, doc.describe(), message);
    }

    /** Where a loose file sits in the repository layout, and what its folders say. */
    private record Place(Area area, String env, String service, String group) {
        Place(Area area, String env, String service) {
            this(area, env, service, "");
        }
    }

    private enum Area { CLAIMS, SECRETS, GROUPS, OTHER }

    /**
     * Reads the folders of the layout (CONVENTIONS.md, "The domain GitOps repository") from a path; reports a file
     * that sits outside it, or a folder naming an environment that does not exist.
     */
    private Place place(String path, List<Violation> out) {
        String[] segments = path.split("/");
        Place place = new Place(Area.OTHER, "", "");
        if (segments.length >= 3 && segments[0].equals("crossplane") && segments[1].equals("claims")) {
            if (segments.length != 4) {
                out.add(new Violation(path, 0, "layout", path, path + " is not where claims go: "
                        + "crossplane/claims/{env}/{name}.yaml, e.g. crossplane/claims/" + conventions.firstEnvironment()
                        + "/api-postgres-main.yaml"));
                return place;
            }
            place = new Place(Area.CLAIMS, segments[2], "");
        } else if (segments.length >= 2 && segments[0].equals("secrets")) {
            if (segments.length != 4) {
                out.add(new Violation(path, 0, "layout", path, path + " is not where secrets go: "
                        + "secrets/{env}/{service}/{name}.yaml, e.g. secrets/" + conventions.firstEnvironment()
                        + "/api/stripe-key.yaml"));
                return place;
            }
            place = new Place(Area.SECRETS, segments[1], segments[2]);
        } else if (segments.length >= 3 && segments[0].equals("rbac") && segments[1].equals("groups")) {
            return groupPlace(path, segments, out);
        } else {
            return place;
        }
        if (!conventions.environments().contains(place.env())) {
            out.add(new Violation(path, 0, "environment", path, "folder " + Names.quote(place.env()) + " of " + path
                    + " is not one of the environments " + conventions.environments()));
            return new Place(Area.OTHER, "", "");
        }
        return place;
    }

    /**
     * A file of group access must be {@code rbac/groups/{env}/{group}/{service}.yaml}: an environment before production,
     * a group and a service that are DNS-1123 labels (docs/golden-paths.md, "Group access"). The domain's ApplicationSet
     * {@code {domain}-groups} applies each {@code rbac/groups/{env}} folder on the cluster of {@code env}, so a binding
     * anywhere else reaches no cluster, or the wrong one.
     */
    private Place groupPlace(String path, String[] segments, List<Violation> out) {
        String example = "rbac/groups/" + conventions.firstEnvironment() + "/team-ledger/api.yaml";
        String file = segments[segments.length - 1];
        if (segments.length != 5 || !(file.endsWith(".yaml") || file.endsWith(".yml"))) {
            out.add(new Violation(path, 0, "layout", path, path + " is not where group access goes: each environment's "
                    + "bindings are in its own folder, one RoleBinding per file, rbac/groups/{env}/{group}/{service}.yaml, "
                    + "e.g. " + example + "; the ApplicationSet {domain}-groups applies rbac/groups/{env} on the cluster "
                    + "of that environment, and nothing else under rbac/groups/"));
            return new Place(Area.OTHER, "", "");
        }
        String env = segments[2];
        String group = segments[3];
        String service = file.substring(0, file.lastIndexOf('.'));
        if (env.equals(conventions.productionEnvironment())) {
            out.add(new Violation(path, 0, "no-prod-developer-access", path, path + " is in rbac/groups/" + env
                    + "/: developer groups never get a RoleBinding in " + env + "; production access is a time-boxed "
                    + "elevation that someone else approves (/platform elevate). Bind groups in "
                    + conventions.developerEnvironments()));
            return new Place(Area.OTHER, "", "");
        }
        if (!conventions.environments().contains(env)) {
            out.add(new Violation(path, 0, "environment", path, "folder " + Names.quote(env) + " of " + path
                    + " is not one of the environments " + conventions.developerEnvironments() + " where groups get access"));
            return new Place(Area.OTHER, "", "");
        }
        for (String[] part : new String[][] {{"group", group}, {"service", service}}) {
            if (!Names.isDnsLabel(part[1])) {
                out.add(new Violation(path, 0, "dns-label", path, "the " + part[0] + " " + Names.quote(part[1]) + " of "
                        + path + " is not a DNS-1123 label: rbac/groups/{env}/{group}/{service}.yaml, e.g. " + example));
                return new Place(Area.OTHER, "", "");
            }
        }
        return new Place(Area.GROUPS, env, service, group);
    }

    private void checkPlace(Place place, ManifestDocument doc, String domain, List<Violation> out) {
        if (doc.kind().isEmpty()) {
            return;
        }
        if (doc.file().startsWith("catalog/") && doc.kind().equals("Group") && doc.apiVersion().startsWith("backstage.io/")) {
            checkGroupAccess(doc, domain, out);
            return;
        }
        switch (place.area()) {
            case CLAIMS -> checkClaim(place, doc, domain, out);
            case SECRETS -> checkSealedSecret(place, doc, domain, out);
            case GROUPS -> checkGroupBinding(place, doc, domain, out);
            default -> {
            }
        }
    }

    /**
     * A claim or namespaced composite resource in {@code crossplane/claims/{env}/}: a platform resource kind, named
     * {@code {service}-{kind}-{name}} in the namespace {@code {domain}-{env}-{service}} of the folder's environment,
     * orphaned on deletion in production.
     */
    private void checkClaim(Place place, ManifestDocument doc, String domain, List<Violation> out) {
        String segment = conventions.resourceKinds().byKind(doc.kind()).map(ResourceKinds.ResourceKind::segment).orElse(null);
        if (segment == null) {
            out.add(violation(doc, "claim-kind", doc.describe() + " (" + doc.apiVersion() + ") is not a platform resource: "
                    + "crossplane/claims/ holds claims of " + String.join(", ", conventions.resourceKinds().kindNames())));
            return;
        }
        String where = " (" + doc.file() + " is in crossplane/claims/" + place.env() + "/)";
        Optional<SemanticKey> key = namespaceKey(doc, place.env(), null, domain, where, out);
        if (key.isPresent()) {
            String prefix = key.get().service() + "-" + segment + "-";
            String name = doc.name();
            if (!name.startsWith(prefix) || name.length() == prefix.length() || !Names.isDnsLabel(name)) {
                out.add(violationAt(doc, "/metadata/name", "semantic-key", doc.kind() + " " + Names.quote(name)
                        + " must be named {service}-{kind}-{name}, e.g. " + prefix + "main (the kind segment of "
                        + doc.kind() + " is '" + segment + "')"));
            }
        }
        String prod = conventions.productionEnvironment();
        boolean production = place.env().equals(prod) || key.map(k -> k.env().equals(prod)).orElse(false);
        if (production) {
            Object policy = ManifestDocument.map(ManifestDocument.map(doc.body(), "spec"), "parameters").get("deletionPolicy");
            if (!ORPHAN.equals(policy)) {
                String found = policy == null ? "no spec.parameters.deletionPolicy (the default is Delete)"
                        : "spec.parameters.deletionPolicy " + Names.quote(ManifestDocument.text(policy));
                out.add(violationAt(doc, "/spec/parameters/deletionPolicy", "deletion-protection", doc.describe()
                        + " in " + prod + " has " + found + ": set deletionPolicy: Orphan, so that deleting the claim "
                        + "keeps the " + segment + " and its data"));
            }
        }
    }

    /**
     * A file in {@code secrets/{env}/{service}/}: SealedSecrets only (a plain Secret is {@code no-plain-secret}), named
     * {@code {service}-{name}} in the namespace {@code {domain}-{env}-{service}} of its folders, every value of
     * {@code spec.encryptedData} non-empty base64 (what kubeseal writes).
     */
    private void checkSealedSecret(Place place, ManifestDocument doc, String domain, List<Violation> out) {
        if (doc.kind().equals("Secret")) {
            return;
        }
        if (!doc.kind().equals("SealedSecret")) {
            out.add(violation(doc, "sealed-secret", doc.describe() + " is not a SealedSecret: secrets/ holds "
                    + "SealedSecrets only (kubeseal, or /platform create-secret)"));
            return;
        }
        String where = " (" + doc.file() + " is in secrets/" + place.env() + "/" + place.service() + "/)";
        namespaceKey(doc, place.env(), place.service(), domain, where, out);
        String prefix = place.service() + "-";
        if (!doc.name().startsWith(prefix) || doc.name().length() == prefix.length() || !Names.isDnsLabel(doc.name())) {
            out.add(violationAt(doc, "/metadata/name", "semantic-key", "SealedSecret " + Names.quote(doc.name())
                    + " must be named {service}-{name}, e.g. " + prefix + "stripe-key" + where));
        }
        Object encrypted = ManifestDocument.map(doc.body(), "spec").get("encryptedData");
        if (!(encrypted instanceof Map<?, ?> values) || values.isEmpty()) {
            out.add(violationAt(doc, "/spec", "sealed-secret", doc.describe() + " has no spec.encryptedData: seal "
                    + "at least one value with kubeseal"));
            return;
        }
        for (Map.Entry<?, ?> e : values.entrySet()) {
            String name = String.valueOf(e.getKey());
            String pointer = "/spec/encryptedData/" + name.replace("~", "~0").replace("/", "~1");
            String value = e.getValue() instanceof String text ? text.replace("\n", "").replace("\r", "") : "";
            if (value.isEmpty()) {
                out.add(violationAt(doc, pointer, "sealed-secret", doc.describe() + " spec.encryptedData."
                        + name + " is empty: seal the value with kubeseal"));
            } else if (!isBase64(value)) {
                out.add(violationAt(doc, pointer, "sealed-secret", doc.describe() + " spec.encryptedData." + name
                        + " is " + Names.quote(value) + ", which is not base64: paste kubeseal's output unchanged"));
            }
        }
    }

    /**
     * The developer access a catalog Group declares ({@link GroupAccessAnnotations}): well-formed annotations
     * ({@code group-access}), environments of the conventions ({@code environment}) before production
     * ({@code no-prod-developer-access}), and the domain of the repository when it is known ({@code group-access}).
     */
    private void checkGroupAccess(ManifestDocument doc, String domain, List<Violation> out) {
        Map<String, Object> annotations = ManifestDocument.map(ManifestDocument.map(doc.body(), "metadata"), "annotations");
        GroupAccessAnnotations.Reading reading = GroupAccessAnnotations.read(annotations);
        if (reading instanceof GroupAccessAnnotations.Invalid invalid) {
            out.add(violationAt(doc, annotationPointer(invalid.annotation()), "group-access", doc.describe()
                    + " annotation " + invalid.annotation() + " " + invalid.problem()));
        } else if (reading instanceof GroupAccessAnnotations.Declared access) {
            String pointer = annotationPointer(GroupAccessAnnotations.ENVIRONMENTS);
            for (String env : access.environments()) {
                if (env.equals(conventions.productionEnvironment())) {
                    out.add(violationAt(doc, pointer, "no-prod-developer-access", doc.describe() + " declares developer "
                            + "access in " + env + ": developer groups never get a RoleBinding there; production access is "
                            + "a time-boxed elevation (/platform elevate). Keep " + conventions.developerEnvironments()));
                } else if (!conventions.environments().contains(env)) {
                    out.add(violationAt(doc, pointer, "environment", doc.describe() + " declares access in "
                            + Names.quote(env) + ", which is not one of the environments " + conventions.developerEnvironments()));
                }
            }
            if (domain != null && !access.domain().equals(domain)) {
                out.add(violationAt(doc, annotationPointer(GroupAccessAnnotations.DOMAIN), "group-access", doc.describe()
                        + " declares access to domain " + Names.quote(access.domain()) + " in the GitOps repository of "
                        + domain + ": a group's access to " + access.domain() + " is declared in "
                        + conventions.gitopsRepository(access.domain())));
            }
        }
    }

    private static String annotationPointer(String annotation) {
        return "/metadata/annotations/" + annotation.replace("~", "~0").replace("/", "~1");
    }

    /**
     * A binding in {@code rbac/groups/{env}/{group}/{service}.yaml}: a RoleBinding ({@code group-binding}) of
     * identity-provider groups only ({@code group-subjects}), of the folder's group only ({@code group-binding}), in
     * the namespace {@code {domain}-{env}-{service}} of its folders ({@code semantic-key}), and never in a production
     * namespace nor in every namespace by a ClusterRoleBinding ({@code no-prod-developer-access}).
     */
    @SuppressWarnings("unchecked")
    private void checkGroupBinding(Place place, ManifestDocument doc, String domain, List<Violation> out) {
        boolean cluster = doc.kind().equals("ClusterRoleBinding");
        if (!cluster && !doc.kind().equals("RoleBinding")) {
            out.add(violation(doc, "group-binding", doc.describe() + " is not a RoleBinding: rbac/groups/ holds the "
                    + "RoleBindings of groups only, one per file"));
            return;
        }
        String where = " (" + doc.file() + " binds group " + place.group() + " to service " + place.service() + " in "
                + place.env() + ")";
        if (!cluster) {
            namespaceKey(doc, place.env(), place.service(), domain, where, out);
        }
        List<Object> subjects = ManifestDocument.list(doc.body(), "subjects");
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < subjects.size(); i++) {
            Map<String, Object> subject = subjects.get(i) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            String kind = ManifestDocument.text(subject.get("kind"));
            String name = ManifestDocument.text(subject.get("name"));
            if (kind.equals("Group")) {
                groups.add(name);
                if (!name.equals(place.group())) {
                    out.add(violationAt(doc, "/subjects/" + i, "group-binding", doc.describe() + " binds group "
                            + Names.quote(name) + " in the folder of " + place.group() + ": a group's bindings are in its "
                            + "own folder, rbac/groups/" + place.env() + "/" + (Names.isDnsLabel(name) ? name : "{group}")
                            + "/" + place.service() + ".yaml"));
                }
            } else {
                out.add(violationAt(doc, "/subjects/" + i, "group-subjects", doc.describe() + " binds "
                        + (kind.isEmpty() ? "a subject without kind" : kind) + " " + Names.quote(name)
                        + ": access is granted to identity-provider groups, never to individual users or service accounts"));
            }
        }
        if (groups.isEmpty()) {
            return;
        }
        Map<String, Object> role = ManifestDocument.map(doc.body(), "roleRef");
        String roleName = ManifestDocument.text(role.get("kind")) + " " + Names.quote(ManifestDocument.text(role.get("name")));
        String prod = conventions.productionEnvironment();
        String why = ": production access is a time-boxed elevation that someone else approves (/platform elevate), "
                + "never a standing binding";
        if (cluster) {
            out.add(violation(doc, "no-prod-developer-access", doc.describe() + " binds group " + quoteAll(groups) + " to "
                    + roleName + " in every namespace, " + prod + " included" + why
                    + "; bind groups with RoleBindings in the namespaces of the other environments"));
            return;
        }
        Optional<SemanticKey> key = conventions.parseKey(doc.namespace());
        if (key.isPresent() && key.get().env().equals(prod)) {
            out.add(violationAt(doc, "/metadata/namespace", "no-prod-developer-access", doc.describe() + " binds group "
                    + quoteAll(groups) + " to " + roleName + " in the " + prod + " namespace " + doc.namespace() + why));
        }
    }

    /**
     * Checks that a document sits in the namespace {@code {domain}-{env}-{service}} of its folder: the environment
     * (and service, when the folder names one) of the folder, the repository's domain when known.
     *
     * @return the namespace as a key, or empty when it is missing or not a key
     */
    private Optional<SemanticKey> namespaceKey(ManifestDocument doc, String env, String service, String domain,
                                               String where, List<Violation> out) {
        String example = (domain == null ? "{domain}" : domain) + "-" + env + "-" + (service == null ? "{service}" : service);
        if (doc.namespace().isEmpty()) {
            out.add(violationAt(doc, "/metadata", "semantic-key", doc.describe() + " has no metadata.namespace: it "
                    + "belongs in its service's namespace {domain}-{env}-{service}, e.g. " + example + where));
            return Optional.empty();
        }
        Optional<SemanticKey> key = conventions.parseKey(doc.namespace());
        if (key.isEmpty()) {
            out.add(violationAt(doc, "/metadata/namespace", "semantic-key", doc.describe() + " is in namespace "
                    + Names.quote(doc.namespace()) + ", which is not a {domain}-{env}-{service} key, expected " + example + where));
            return Optional.empty();
        }
        SemanticKey k = key.get();
        if (!k.env().equals(env) || (service != null && !k.service().equals(service))
                || (domain != null && !k.domain().equals(domain))) {
            String expected = (domain == null ? k.domain() : domain) + "-" + env + "-" + (service == null ? k.service() : service);
            out.add(violationAt(doc, "/metadata/namespace", "semantic-key", doc.describe() + " is in namespace "
                    + Names.quote(doc.namespace()) + ", expected " + expected + where));
        }
        return key;
    }

    private static boolean isBase64(String value) {
        try {
            Base64.getDecoder().decode(value);
            return true;
        } catch (IllegalArgumentException notBase64) {
            return false;
        }
    }

    private static String quoteAll(List<String> values) {
        return String.join(", ", values.stream().map(Names::quote).toList());
    }

    private static Violation violationAt(ManifestDocument doc, String pointer, String rule, String message) {
        return new Violation(doc.file(), doc.lineOf(pointer), rule, doc.describe(), message);
    }
}
