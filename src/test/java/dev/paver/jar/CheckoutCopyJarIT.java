package dev.paver.jar;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.conversation.GitStandIn;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The README's "Running Paver" followed to the letter: {@code java -jar paver.jar} with a copy of the checkout (its
 * tracked files) as working folder, so {@code ./templates} is the checkout's, and every default (git under
 * {@code ./data/git}, working clones under {@code ./data/git-work}, H2 under {@code ./data}, a 15 s merge poll): only
 * the Slack token, signing secret and Web API URL, the port, and no cluster are set. Then {@code audit-export}
 * reads what that run left in the same database, with no setting at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CheckoutCopyJarIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DANA = "U0DANA";

    private Path copy;
    private SlackWorkspace slack;
    private PaverJar paver;
    private GitStandIn git;
    private String runId;

    @RegisterExtension
    final PrintOnFailure printOnFailure = new PrintOnFailure(() -> paver, () -> slack);

    @BeforeAll
    void start() throws Exception {
        copy = copyOfTheCheckout();
        slack = new SlackWorkspace("C0PAYMENTS", Map.of(DANA, "Dana (developer)"));
        Map<String, String> env = new LinkedHashMap<>(slack.env());
        env.put("PAVER_KUBERNETES_ENABLED", "false");
        paver = PaverJar.start(copy, env);
        slack.connect(paver);
        git = new GitStandIn(copy.resolve("data").resolve("git"));
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (paver != null) {
                paver.close();
            }
        } finally {
            if (slack != null) {
                slack.close();
            }
            PaverJar.delete(copy);
        }
    }

    @Test
    @Order(1)
    void createServiceRunsToTheEndWithEveryDefaultFromACopyOfTheCheckout() throws Exception {
        run();
        assertThat(copy.resolve("data/git/payments-gitops.git")).isDirectory();
        assertThat(copy.resolve("data/git/api.git")).isDirectory();
        assertThat(copy.resolve("data/paver.mv.db")).isRegularFile();
    }

    @Test
    @Order(2)
    void auditExportWritesTheRunsRequestAsJsonLines() throws Exception {
        run();
        // while Paver runs, H2's file is locked: a clear refusal, no stack trace, nothing written
        PaverJar.Result whileRunning = PaverJar.run(copy, Map.of(), PaverJar.CLI_TIMEOUT, "audit-export");
        assertThat(whileRunning.exitCode()).as(whileRunning.toString()).isEqualTo(1);
        assertThat(whileRunning.stdout()).as(whileRunning.toString()).isEmpty();
        assertThat(whileRunning.stderr()).as(whileRunning.toString()).contains("in use by another process",
                "Stop Paver and run audit-export again").doesNotContain("Exception");
        assertThat(paver.stop()).as("Paver stops on SIGTERM").isNotEqualTo(-1);

        PaverJar.Result export = PaverJar.run(copy, Map.of(), PaverJar.CLI_TIMEOUT, "audit-export");
        assertThat(export.exitCode()).as(export.toString()).isZero();
        List<JsonNode> lines = new ArrayList<>();
        for (String line : export.stdout().lines().toList()) {
            lines.add(JSON.readTree(line));
        }
        // the request, then what the run did: two pull requests opened, the merge, the (untracked) deployment, the end
        assertThat(lines).as(export.toString()).extracting(l -> l.path("action").asText())
                .containsExactly("request", "pull-request", "pull-request", "merge", "deploy", "done");
        assertThat(lines).as("one run").allSatisfy(l -> assertThat(l.path("runId").asText()).isEqualTo(runId));
        JsonNode request = lines.get(0);
        assertThat(request.path("actor").asText()).isEqualTo(DANA);
        assertThat(request.path("action").asText()).isEqualTo("request");
        assertThat(request.path("subject").asText()).isEqualTo("payments/api");
        assertThat(request.path("runId").asText()).isEqualTo(runId);
        assertThat(request.path("origin").asText()).isEqualTo("TYPED");
        assertThat(request.path("detail").asText()).contains("create-service", "service=api", "system=checkout",
                "owner=team-payments", "profile=small");
        assertThat(request.path("at").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");

        PaverJar.Result toFile = PaverJar.run(copy, Map.of(), PaverJar.CLI_TIMEOUT, "audit-export", "--since=2000-01-01",
                "--out=audit.jsonl");
        assertThat(toFile.exitCode()).as(toFile.toString()).isZero();
        assertThat(Files.readString(copy.resolve("audit.jsonl"), StandardCharsets.UTF_8)).isEqualTo(export.stdout());
        assertThat(toFile.stderr()).contains("6 entries written to audit.jsonl");

        // the hash chain holds as written, and says so
        PaverJar.Result verify = PaverJar.run(copy, Map.of(), PaverJar.CLI_TIMEOUT, "audit-export", "--verify");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.stdout()).as(verify.toString()).contains("the audit log is intact: 6 entries");
    }

    /** create-service {@code api} from the command to the end of the run, once for the class. */
    private synchronized void run() throws Exception {
        if (runId != null) {
            return;
        }
        HttpResponse<String> ack = slack.types(DANA, "/platform create-service api --system checkout --owner team-payments --profile small");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("Starting *create-service* for `api`");
        slack.awaitCard("create-service payments/api", "Waiting for branch paver/",
                "Deployment tracking is off: no cluster is configured");
        slack.awaitThread("opened in payments-gitops", "Repository api is ready", "opened in api");
        List<String> gitops = git.paverBranches("payments-gitops");
        List<String> app = git.paverBranches("api");
        assertThat(gitops).hasSize(1);
        assertThat(app).hasSize(1);
        assertThat(git.files("payments-gitops", gitops.get(0))).containsKeys("catalog/components/api.yaml",
                "apps/checkout/api/base/deployment.yaml", "apps/checkout/api/overlays/prod/kustomization.yaml");
        assertThat(git.files("api", app.get(0))).containsKeys("README.md", "catalog-info.yaml", "Dockerfile");
        assertThat(git.files("api", app.get(0)).get("catalog-info.yaml")).contains("system: checkout");

        String merge = git.merge("payments-gitops", gitops.get(0), "Alex");
        // the default poll (15 s) notices the merge
        slack.awaitThread("merged (revision " + merge.substring(0, 7) + ")");
        slack.awaitCard("Done", "api is merged. Deployment tracking is off, so Paver did not check that it runs.");
        runId = gitops.get(0).split("/")[1];
    }

    /** The checkout's tracked files ({@code git ls-files}), as the working tree has them, in a new temporary folder. */
    static Path copyOfTheCheckout() throws Exception {
        Path checkout = Path.of("").toAbsolutePath();
        Process ls = new ProcessBuilder("git", "ls-files", "-z").directory(checkout.toFile()).redirectErrorStream(true).start();
        byte[] listing = ls.getInputStream().readAllBytes();
        if (!ls.waitFor(30, TimeUnit.SECONDS) || ls.exitValue() != 0) {
            throw new AssertionError("git ls-files failed in " + checkout + ": " + new String(listing, StandardCharsets.UTF_8));
        }
        Path copy = Files.createTempDirectory("paver-jar-checkout-");
        int copied = 0;
        for (String file : new String(listing, StandardCharsets.UTF_8).split("\0")) {
            Path source = checkout.resolve(file);
            if (file.isEmpty() || !Files.isRegularFile(source)) {
                continue; // a file deleted in the working tree
            }
            Path target = copy.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(source, target);
            copied++;
        }
        assertThat(copied).as("tracked files copied").isGreaterThan(10);
        assertThat(copy.resolve("templates/create-service/template.yaml")).exists();
        return copy;
    }
}
