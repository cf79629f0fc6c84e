package dev.paver.cli;

import static dev.paver.core.goldenpath.GoldenPathFixtures.apiInCheckout;
import static dev.paver.core.goldenpath.GoldenPathFixtures.renderCreateService;
import static dev.paver.core.goldenpath.GoldenPathFixtures.under;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code java -jar paver.jar validate <dir>}: what a person or a CI job sees, exit codes and output. */
class ValidateTest {

    private static final Path SEED = Path.of("src", "main", "resources", "seed", "payments-gitops");
    private static final String DEPLOYMENT = "apps/checkout/api/base/deployment.yaml";
    private static final String SERVICE = "apps/checkout/api/base/service.yaml";

    private static Map<String, String> rendered;

    @TempDir
    Path tmp;

    @BeforeAll
    static void renderCreateServiceOnce() {
        rendered = under("gitops", renderCreateService(apiInCheckout()));
    }

    /** One run of the command. */
    record Result(int exit, String out, String err) {
        List<String> lines() {
            return out.isEmpty() ? List.of() : List.of(out.split("\n"));
        }
    }

    static Result validate(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = Validate.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path repository(String name, Map<String, String> files) throws IOException {
        Path dir = tmp.resolve(name);
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        }
        return dir;
    }

    private static Map<String, String> withCreateService() {
        return new TreeMap<>(rendered);
    }

    private static int lineOf(String text, String snippet) {
        return (int) text.substring(0, text.indexOf(snippet)).chars().filter(c -> c == '\n').count() + 1;
    }

    @Test
    void theSeedRepositoryFollowsTheConventions() {
        Result result = validate(SEED.toString());

        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).isEqualTo("validate: 5 files checked, no violations\n");
    }

    @Test
    void whatCreateServiceRendersFollowsTheConventionsAndTheSchemasStrictly() throws IOException {
        Path repo = repository("payments-gitops", withCreateService());

        assertThat(validate(repo.toString()).exit()).isZero();
        assertThat(validate(repo.toString(), "--strict").exit()).isZero();
    }

    @Test
    void aConfigurationFileGivesTheConventionsOfThePlatform() throws IOException {
        Map<String, String> files = withCreateService();
        files.put("crossplane/claims/live/api-postgres-main.yaml", """
                apiVersion: platform.paver.dev/v1alpha1
                kind: PostgreSQLInstance
                metadata:
                  name: api-postgres-main
                  namespace: payments-live-api
                spec:
                  parameters:
                    size: small
                """);
        Path repo = repository("payments-gitops", files);
        Path config = Files.writeString(tmp.resolve("application.yml"), """
                server:
                  port: 8080
                paver:
                  conventions:
                    environments: [dev, staging, live]
                    automated-sync: [dev, staging]
                """);

        assertThat(validate(repo.toString()).lines()).as("with the defaults, live is no environment")
                .anySatisfy(line -> assertThat(line).contains("environment: folder 'live'"));
        Result live = validate(repo.toString(), "--config", config.toString());
        assertThat(live.exit()).isEqualTo(1);
        assertThat(live.lines()).as("live is the production environment of this platform, prod is none of its environments")
                .satisfiesExactly(
                        line -> assertThat(line).isEqualTo("apps/checkout/api/overlays/prod/kustomization.yaml: environment: "
                                + "overlay 'prod' is not one of the environments [dev, staging, live]"),
                        line -> assertThat(line).startsWith("crossplane/claims/live/api-postgres-main.yaml:7: deletion-protection: "
                                + "PostgreSQLInstance/api-postgres-main in live has no spec.parameters.deletionPolicy"));
    }

    @Test
    void aConfigurationFileThatCannotBeUsedIsUnusableInput() throws IOException {
        Path repo = repository("payments-gitops", withCreateService());
        Path bad = Files.writeString(tmp.resolve("bad.yml"), "paver:\n  conventions:\n    environments: [dev, dev]\n");

        Result missing = validate(repo.toString(), "--config", tmp.resolve("nothing.yml").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).startsWith("validate: --config " + tmp.resolve("nothing.yml") + " is not a file");
        Result invalid = validate(repo.toString(), "--config", bad.toString());
        assertThat(invalid.exit()).isEqualTo(2);
        assertThat(invalid.err()).startsWith("validate: --config " + bad + ": environments [dev, dev] name one environment twice");
    }

    private Path brokenRepository() throws IOException {
        Map<String, String> files = withCreateService();
        files.put(DEPLOYMENT, files.get(DEPLOYMENT).replace("  replicas: 1\n", "  replicas: two\n"));
        files.put("crossplane/claims/prod/api-postgres-main.yaml", """
                apiVersion: platform.paver.dev/v1alpha1
                kind: PostgreSQLInstance
                metadata:
                  name: api-postgres-main
                  namespace: payments-prod-api
                spec:
                  parameters:
                    size: medium
                """);
        files.put("secrets/stripe-key.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n");
        return repository("payments-gitops", files);
    }

    @Test
    void printsOneLinePerViolationAndExitsWithOne() throws IOException {
        Result result = validate(brokenRepository().toString());

        assertThat(result.exit()).isEqualTo(1);
        assertThat(result.lines()).containsExactly(
                DEPLOYMENT + ":" + lineOf(rendered.get(DEPLOYMENT), "  replicas:")
                        + ": schema: Deployment/api: spec.replicas is the string 'two', expected integer",
                "crossplane/claims/prod/api-postgres-main.yaml:7: deletion-protection: PostgreSQLInstance/api-postgres-main "
                        + "in prod has no spec.parameters.deletionPolicy (the default is Delete): set deletionPolicy: Orphan, "
                        + "so that deleting the claim keeps the postgres and its data",
                "secrets/stripe-key.yaml: layout: secrets/stripe-key.yaml is not where secrets go: "
                        + "secrets/{env}/{service}/{name}.yaml, e.g. secrets/dev/api/stripe-key.yaml");
        assertThat(result.err()).isEqualTo("validate: 15 files checked, 3 violations\n");
    }

    @Test
    void writesTheViolationsAsAJsonArray() throws IOException {
        Result result = validate(brokenRepository().toString(), "--format", "json");

        assertThat(result.exit()).isEqualTo(1);
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.isArray()).isTrue();
        assertThat(json).hasSize(3);
        assertThat(json.get(0).path("file").asText()).isEqualTo(DEPLOYMENT);
        assertThat(json.get(0).path("line").asInt()).isEqualTo(lineOf(rendered.get(DEPLOYMENT), "  replicas:"));
        assertThat(json.get(0).path("rule").asText()).isEqualTo("schema");
        assertThat(json.get(0).path("message").asText()).isEqualTo("Deployment/api: spec.replicas is the string 'two', expected integer");
        assertThat(json.get(1).path("rule").asText()).isEqualTo("deletion-protection");
        assertThat(json.get(2).path("file").asText()).isEqualTo("secrets/stripe-key.yaml");
        assertThat(json.get(2).get("line").isNull()).as("a line that is not known is null").isTrue();
        assertThat(validate(brokenRepository().toString(), "--format=json").out()).isEqualTo(result.out());
    }

    @Test
    void strictRejectsFieldsTheSchemaDoesNotDeclare() throws IOException {
        Map<String, String> files = withCreateService();
        files.put(SERVICE, files.get(SERVICE).replace("spec:\n", "spec:\n  loadBalancerIp: 10.0.0.1\n"));
        Path repo = repository("payments-gitops", files);

        assertThat(validate(repo.toString()).exit()).isZero();
        Result strict = validate(repo.toString(), "--strict");
        assertThat(strict.exit()).isEqualTo(1);
        assertThat(strict.lines()).containsExactly(SERVICE + ":" + (lineOf(rendered.get(SERVICE), "spec:\n") + 1)
                + ": schema: Service/api: spec.loadBalancerIp is not a field of Service (v1)");
        assertThat(strict.err()).contains("(strict)");
    }

    @Test
    void takesTheDomainFromTheFolderNameOrTheFlag() throws IOException {
        Map<String, String> files = Map.of("crossplane/claims/dev/api-queue-orders.yaml", """
                apiVersion: platform.paver.dev/v1alpha1
                kind: Queue
                metadata:
                  name: api-queue-orders
                  namespace: payments-dev-api
                spec:
                  parameters:
                    size: small
                """);

        assertThat(validate(repository("payments-gitops", files).toString()).exit()).isZero();
        Path billing = repository("billing-gitops", files);
        assertThat(validate(billing.toString()).lines()).singleElement().asString()
                .contains("semantic-key", "is in namespace 'payments-dev-api', expected billing-dev-api");
        assertThat(validate(billing.toString(), "--domain", "payments").exit()).isZero();
    }

    @Test
    void exitsWithTwoAndSaysWhyWhenTheInputIsUnusable() throws IOException {
        Path file = Files.writeString(tmp.resolve("deployment.yaml"), "kind: Deployment\n");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Path latin1 = repository("latin1-gitops", Map.of());
        Files.createDirectories(latin1);
        Files.write(latin1.resolve("namespace.yaml"), "metadata:\n  name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

        Map<String[], String> cases = new HashMap<>();
        cases.put(new String[] {tmp.resolve("missing").toString()}, "does not exist");
        cases.put(new String[] {file.toString()}, "is not a folder");
        cases.put(new String[] {}, "which folder?");
        cases.put(new String[] {SEED.toString(), "--verbose"}, "unknown flag --verbose");
        cases.put(new String[] {SEED.toString(), "--format", "xml"}, "--format is line or json, not 'xml'");
        cases.put(new String[] {SEED.toString(), "--format"}, "--format needs a value");
        cases.put(new String[] {SEED.toString(), SEED.toString()}, "one folder at a time");
        cases.put(new String[] {SEED.toString(), "--domain", "Payments"}, "is not a domain name");
        cases.put(new String[] {empty.toString()}, "no .yaml or .yml file under");
        cases.put(new String[] {latin1.toString()}, "namespace.yaml is not UTF-8 text: save it as UTF-8");
        cases.forEach((args, reason) -> {
            Result result = validate(args);
            assertThat(result.exit()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(result.out()).as(String.join(" ", args)).isEmpty();
            assertThat(result.err()).as(String.join(" ", args)).startsWith("validate: ").contains(reason, "usage:");
        });
    }

    @Test
    void printsItsUsage() {
        Result result = validate("--help");

        assertThat(result.exit()).isZero();
        assertThat(result.out()).startsWith("usage: java -jar paver.jar validate <dir>")
                .contains("--format json", "--strict", "Kubernetes 1.36.0", "Exit codes: 0 valid, 1 violations, 2 unusable input");
    }

    /** Not a test of speed: prints how long the gate takes on a 200-file repository. */
    @Test
    void printsHowLongATwoHundredFileRepositoryTakes() throws IOException {
        Map<String, String> files = new TreeMap<>();
        for (int i = 0; files.size() < 195; i++) {
            Map<String, String> service = new HashMap<>(apiInCheckout());
            service.put("service", "svc" + i);
            files.putAll(under("gitops", renderCreateService(service)));
        }
        for (int i = 0; files.size() < 200; i++) {
            files.put("crossplane/claims/dev/svc" + i + "-postgres-main.yaml", """
                    apiVersion: platform.paver.dev/v1alpha1
                    kind: PostgreSQLInstance
                    metadata:
                      name: svc%d-postgres-main
                      namespace: payments-dev-svc%d
                    spec:
                      parameters:
                        size: small
                    """.formatted(i, i));
        }
        Path repo = repository("payments-gitops", files);

        long start = System.nanoTime();
        Result first = validate(repo.toString());
        long firstMs = (System.nanoTime() - start) / 1_000_000;
        start = System.nanoTime();
        Result second = validate(repo.toString());
        long secondMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(first.exit()).as(first.out()).isZero();
        assertThat(second.err()).isEqualTo("validate: 200 files checked, no violations\n");
        System.out.printf("validate: 200-file repository in %d ms (each run builds its schemas), then %d ms; the JVM was "
                + "warmed by earlier tests, so a cold java -jar run takes longer%n", firstMs, secondMs);
    }
}
