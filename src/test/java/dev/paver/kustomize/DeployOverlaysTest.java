package dev.paver.kustomize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.paver.config.PaverProperties;
import dev.paver.core.convention.ManifestDocument;
import dev.paver.core.convention.OverlayBuilder;
import dev.paver.core.convention.Violation;
import dev.paver.kubernetes.schema.KubernetesSchemas;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

/**
 * What a platform team applies: every overlay of {@code deploy/kubernetes/} is built with kustomize (as the conventions
 * gate builds overlays), every document it prints follows its Kubernetes schema as Paver's own gate checks it
 * (kubeconform's strict mode: no field the kind does not have), and the pod meets the restricted Pod Security
 * Standard (https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted) with a read-only root
 * filesystem. The ConfigMap's {@code application.yml} uses only settings Paver has.
 *
 * <p>Needs kustomize v4 or newer ({@code kubectl kustomize} of kubectl 1.24+, or the kustomize binary): without it the
 * test fails and says how to install one, rather than passing without building anything.
 */
class DeployOverlaysTest {

    private static final Path DEPLOY = Path.of("deploy", "kubernetes");
    private static final List<String> OVERLAYS = List.of("overlays/http", "overlays/socket-mode", "overlays/postgres");

    private static Map<String, List<ManifestDocument>> built;

    @BeforeAll
    static void buildEveryOverlay() throws IOException {
        KustomizeCommand.Detection detection = KustomizeCommand.detect(null, Duration.ofSeconds(20));
        if (detection.command().isEmpty()) {
            fail("Building deploy/kubernetes needs kustomize v" + KustomizeCommand.MINIMUM_MAJOR + " or newer on the PATH, "
                    + "and found none (" + detection.reason() + "). Install kubectl 1.24 or newer (its 'kubectl kustomize' "
                    + "bundles kustomize v4.5+) or the kustomize binary from the kubernetes-sigs/kustomize releases.");
        }
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(DEPLOY)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.put(DEPLOY.relativize(file).toString().replace('\\', '/'), Files.readString(file));
            }
        }
        Map<String, OverlayBuilder.Build> builds = new KustomizeOverlays(detection.command().get(), Duration.ofSeconds(60))
                .build(files, OVERLAYS);
        built = new TreeMap<>();
        for (String overlay : OVERLAYS) {
            OverlayBuilder.Build build = builds.get(overlay);
            assertThat(build.problems()).as("kustomize build of %s", overlay).isEmpty();
            built.put(overlay, build.documents());
        }
    }

    private static List<ManifestDocument> kind(String overlay, String kind) {
        return built.get(overlay).stream().filter(d -> kind.equals(d.kind())).toList();
    }

    private static ManifestDocument one(String overlay, String kind) {
        List<ManifestDocument> docs = kind(overlay, kind);
        assertThat(docs).as("%s in %s", kind, overlay).hasSize(1);
        return docs.get(0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static Object at(Object root, String... keys) {
        Object o = root;
        for (String key : keys) {
            o = map(o).get(key);
        }
        return o;
    }

    @Test
    void everyDocumentOfEveryOverlayFollowsItsSchemaAsTheGateChecksIt() {
        KubernetesSchemas strict = new KubernetesSchemas(true);
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Map.Entry<String, List<ManifestDocument>> overlay : built.entrySet()) {
            for (ManifestDocument doc : overlay.getValue()) {
                for (Violation v : strict.check(doc)) {
                    problems.add(overlay.getKey() + ": " + v.message());
                }
                checked++;
            }
        }
        assertThat(problems).as("schema violations").isEmpty();
        assertThat(checked).isGreaterThan(3 * 12);
        // and the check would see a broken one: a typo in a field of the pod spec
        ManifestDocument deployment = one("overlays/http", "Deployment");
        Map<String, Object> broken = new TreeMap<>(deployment.body());
        broken.put("spec", Map.of("replica", 2));
        assertThat(strict.check(deployment.withBody(broken))).isNotEmpty();
    }

    @Test
    void everyOverlayRunsTwoReplicasRolledOnePodAtATimeWithADisruptionBudgetAndANetworkPolicy() {
        for (String overlay : OVERLAYS) {
            Map<String, Object> spec = map(one(overlay, "Deployment").body().get("spec"));
            assertThat(spec.get("replicas")).as(overlay).isEqualTo(2);
            assertThat(map(at(spec, "strategy", "rollingUpdate"))).as(overlay)
                    .containsEntry("maxUnavailable", 0).containsEntry("maxSurge", 1);
            assertThat(at(one(overlay, "PodDisruptionBudget").body(), "spec", "maxUnavailable")).isEqualTo(1);
            assertThat(list(at(one(overlay, "NetworkPolicy").body(), "spec", "policyTypes"))).containsExactly("Ingress", "Egress");
            // out: DNS, HTTPS (Slack, GitHub, the API server) and PostgreSQL, nothing else
            assertThat(list(at(one(overlay, "NetworkPolicy").body(), "spec", "egress")).stream()
                    .flatMap(rule -> list(map(rule).get("ports")).stream()).map(p -> map(p).get("port")).toList())
                    .as(overlay).containsExactlyInAnyOrder(53, 53, 443, 6443, 5432);
            assertThat(kind(overlay, "ValidatingAdmissionPolicy")).as(overlay).hasSize(1);
            assertThat(kind(overlay, "ValidatingAdmissionPolicyBinding")).as(overlay).hasSize(1);
        }
    }

    @Test
    void thePodMeetsTheRestrictedPodSecurityStandardWithAReadOnlyRootFilesystem() {
        for (String overlay : OVERLAYS) {
            Map<String, Object> pod = map(at(one(overlay, "Deployment").body(), "spec", "template", "spec"));
            Map<String, Object> podSecurity = map(pod.get("securityContext"));
            assertThat(podSecurity).as(overlay).containsEntry("runAsNonRoot", true);
            assertThat(podSecurity.get("runAsUser")).as("not root").isNotEqualTo(0).isNotNull();
            assertThat(at(podSecurity, "seccompProfile", "type")).isEqualTo("RuntimeDefault");
            for (String host : List.of("hostNetwork", "hostPID", "hostIPC")) {
                assertThat(pod.get(host)).as(host).isNotEqualTo(true);
            }
            // restricted allows only these volume types
            Set<String> allowed = Set.of("name", "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral",
                    "persistentVolumeClaim", "projected", "secret");
            for (Object volume : list(pod.get("volumes"))) {
                assertThat(map(volume).keySet()).as("volume %s", volume).isSubsetOf(allowed);
            }
            List<Object> containers = new ArrayList<>(list(pod.get("containers")));
            containers.addAll(list(pod.get("initContainers")));
            assertThat(containers).isNotEmpty();
            for (Object c : containers) {
                Map<String, Object> container = map(c);
                Map<String, Object> security = map(container.get("securityContext"));
                assertThat(security).as("%s %s", overlay, container.get("name"))
                        .containsEntry("allowPrivilegeEscalation", false)
                        .containsEntry("readOnlyRootFilesystem", true)
                        .containsEntry("runAsNonRoot", true)
                        .doesNotContainEntry("privileged", true);
                assertThat(at(security, "seccompProfile", "type")).isEqualTo("RuntimeDefault");
                assertThat(list(at(security, "capabilities", "drop"))).containsExactly("ALL");
                assertThat(list(at(security, "capabilities", "add"))).isEmpty();
                for (Object port : list(container.get("ports"))) {
                    assertThat(map(port)).doesNotContainKey("hostPort");
                }
                // writable where Paver writes: ./data in the working directory /app, and java.io.tmpdir
                List<String> mounts = list(container.get("volumeMounts")).stream().map(m -> String.valueOf(map(m).get("mountPath")))
                        .toList();
                assertThat(mounts).contains("/app/data", "/tmp");
            }
        }
    }

    @Test
    void probesUseTheManagementPortAndTheHeapFollowsTheMemoryLimit() {
        for (String overlay : OVERLAYS) {
            Map<String, Object> container = map(list(at(one(overlay, "Deployment").body(), "spec", "template", "spec",
                    "containers")).get(0));
            Map<String, String> env = new TreeMap<>();
            for (Object e : list(container.get("env"))) {
                if (map(e).get("value") != null) {
                    env.put(String.valueOf(map(e).get("name")), String.valueOf(map(e).get("value")));
                }
            }
            Object managementPort = list(container.get("ports")).stream().map(DeployOverlaysTest::map)
                    .filter(p -> "management".equals(p.get("name"))).map(p -> p.get("containerPort")).findFirst().orElseThrow();
            assertThat(env).as(overlay).containsEntry("MANAGEMENT_SERVER_PORT", String.valueOf(managementPort));
            assertThat(managementPort).isNotEqualTo(8080);
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                assertThat(at(container, probe, "httpGet", "port")).as("%s %s", overlay, probe).isEqualTo("management");
            }
            assertThat(String.valueOf(at(container, "readinessProbe", "httpGet", "path"))).endsWith("/readiness");
            assertThat(String.valueOf(at(container, "livenessProbe", "httpGet", "path"))).endsWith("/liveness");
            assertThat(env.get("JAVA_TOOL_OPTIONS")).contains("-XX:MaxRAMPercentage=");
            assertThat(at(container, "resources", "limits", "memory")).as("the limit the heap follows").isNotNull();
        }
    }

    @Test
    void httpExposesOnlySlackAndGithubEntryPointsAndSocketModeNothing() {
        ManifestDocument ingress = one("overlays/http", "Ingress");
        List<String> paths = new ArrayList<>();
        for (Object rule : list(at(ingress.body(), "spec", "rules"))) {
            for (Object path : list(at(rule, "http", "paths"))) {
                paths.add(map(path).get("pathType") + " " + map(path).get("path"));
                assertThat(at(path, "backend", "service", "name")).isEqualTo("paver");
                assertThat(at(path, "backend", "service", "port", "name")).isEqualTo("http");
            }
        }
        assertThat(paths).containsExactlyInAnyOrder("Exact /slack/events", "Exact /github/webhook");
        assertThat(map(at(ingress.body(), "spec"))).doesNotContainKey("defaultBackend");

        assertThat(kind("overlays/socket-mode", "Ingress")).isEmpty();
        assertThat(kind("overlays/socket-mode", "Service")).isEmpty();
        assertThat(kind("overlays/postgres", "Ingress")).isEmpty();
        // socket mode lets in nothing but the management port
        assertThat(list(at(one("overlays/socket-mode", "NetworkPolicy").body(), "spec", "ingress")))
                .allSatisfy(rule -> assertThat(list(map(rule).get("ports"))).extracting(p -> map(p).get("port"))
                        .containsOnly("management"));
    }

    @Test
    void theDatabaseUrlAndCredentialsComeFromASecretInEveryOverlay() {
        for (String overlay : OVERLAYS) {
            Map<String, Object> container = map(list(at(one(overlay, "Deployment").body(), "spec", "template", "spec",
                    "containers")).get(0));
            Map<String, Object> fromSecret = new TreeMap<>();
            for (Object e : list(container.get("env"))) {
                assertThat(map(e).get("name")).as("no database setting as a literal").isNotIn(
                        map(e).get("value") == null ? List.of() : List.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_PASSWORD",
                                "SPRING_DATASOURCE_USERNAME"));
                Object ref = at(e, "valueFrom", "secretKeyRef", "name");
                if (ref != null) {
                    fromSecret.put(String.valueOf(map(e).get("name")), ref);
                }
            }
            assertThat(fromSecret).as(overlay).containsEntry("SPRING_DATASOURCE_URL", "paver-database")
                    .containsEntry("SPRING_DATASOURCE_USERNAME", "paver-database")
                    .containsEntry("SPRING_DATASOURCE_PASSWORD", "paver-database");
            assertThat(built.get(overlay)).as("no Secret is ever committed").noneMatch(d -> "Secret".equals(d.kind()));
        }
    }

    @Test
    void theConfigMapIsMountedAndItsApplicationYmlUsesOnlySettingsPaverHas() {
        ManifestDocument configMap = one("overlays/http", "ConfigMap");
        String yaml = String.valueOf(at(configMap.body(), "data", "application.yml"));
        Map<String, Object> pod = map(at(one("overlays/http", "Deployment").body(), "spec", "template", "spec"));
        assertThat(list(pod.get("volumes"))).anySatisfy(v -> assertThat(at(v, "configMap", "name")).isEqualTo(configMap.name()));

        // every paver.* key binds to PaverProperties; an unknown key (a typo, a setting that does not exist) fails
        PaverProperties properties = bind(yaml);
        assertThat(properties.approvals().approvers()).containsKey("*").containsKey("payments");
        assertThat(properties.approvals().channels()).containsKey("*");
        assertThat(properties.access().roles()).containsKeys("viewer", "operator");
        assertThat(properties.identity().users()).isNotEmpty();
        assertThat(properties.conventions().environments()).last().isEqualTo("prod");
        assertThat(properties.kubernetes().enabled()).isEqualTo("true");

        String typo = yaml.replace("  approvals:\n", "  approval:\n");
        assertThat(typo).isNotEqualTo(yaml);
        assertThatThrownBy(() -> bind(typo)).hasStackTraceContaining("approval");
    }

    /** Binds {@code paver.*} of an application.yml as Spring Boot does, refusing keys PaverProperties does not have. */
    static PaverProperties bind(String applicationYml) {
        try {
            List<PropertySource<?>> sources = new YamlPropertySourceLoader().load("application.yml",
                    new ByteArrayResource(applicationYml.getBytes(StandardCharsets.UTF_8)));
            Binder binder = new Binder(ConfigurationPropertySources.from(sources), null,
                    ApplicationConversionService.getSharedInstance());
            return binder.bind("paver", Bindable.of(PaverProperties.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                    .orElseThrow(() -> new AssertionError("no paver.* settings"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
