package dev.paver.jar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.GitStandIn;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The packaged jar as a new user runs it: {@code java -jar paver.jar} in a new empty folder (the golden paths come
 * from the jar, the data goes to {@code ./data}), configured only by the environment variables of the README and docs/configuration.md, against a
 * Slack Web API stand-in on loopback. People talk to it over {@code /slack/events} and merge with plain git on the
 * bare repositories under {@code data/git}. One server for the class: each test creates its own service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmptyFolderJarIT {

    static final String CHANNEL = "C0PAYMENTS";
    static final String APPROVALS = "C0APPROVALS";
    static final String DANA = "U0DANA";
    static final String ALEX = "U0ALEX";
    static final String SAM = "U0SAM";

    private Path folder;
    private SlackWorkspace slack;
    private PaverJar paver;
    private GitStandIn git;
    private Created api;

    @RegisterExtension
    final PrintOnFailure printOnFailure = new PrintOnFailure(() -> paver, () -> slack);

    @BeforeAll
    void start() throws Exception {
        folder = Files.createTempDirectory("paver-jar-empty-");
        slack = new SlackWorkspace(CHANNEL, Map.of(DANA, "Dana (developer)", ALEX, "Alex (payments approver)",
                SAM, "Sam (payments approver)"));
        Map<String, String> env = new LinkedHashMap<>(slack.env());
        env.put("PAVER_KUBERNETES_ENABLED", "false");
        // an absolute root beside the relative default ./data/git-work (keys of docs/configuration.md; both once broke publishing)
        env.put("PAVER_GIT_LOCAL_ROOT", folder.resolve("data").resolve("git").toString());
        env.put("PAVER_GIT_POLL_INTERVAL", "1s");
        env.put("PAVER_RUNS_CATALOG_REFRESH", "1s");
        env.put("PAVER_APPROVALS_APPROVERS_PAYMENTS", ALEX + "," + SAM);
        env.put("PAVER_APPROVALS_CHANNELS_PAYMENTS", APPROVALS);
        paver = PaverJar.start(folder, env);
        slack.connect(paver);
        git = new GitStandIn(folder.resolve("data").resolve("git"));
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
            PaverJar.delete(folder);
        }
    }

    /** What one create-service left: the branches it pushed and the merge commit a person made on main. */
    record Created(String service, String gitopsBranch, String appBranch, String merge, Map<String, String> gitopsFiles,
                   Map<String, String> appFiles, List<String> threadAtEnd, String cardAtEnd) {
    }

    @Test
    void createServiceFromTheCommandToTheEndOfTheRunAfterAPersonMergesWithPlainGit() throws Exception {
        Created created = api();

        assertThat(created.gitopsFiles()).containsKeys(
                "apps/checkout/api/base/deployment.yaml", "apps/checkout/api/base/service.yaml",
                "apps/checkout/api/base/kustomization.yaml", "apps/checkout/api/overlays/dev/namespace.yaml",
                "apps/checkout/api/overlays/dev/kustomization.yaml", "apps/checkout/api/overlays/dev/profile-patch.yaml",
                "apps/checkout/api/overlays/staging/kustomization.yaml", "apps/checkout/api/overlays/prod/kustomization.yaml",
                "catalog/components/api.yaml");
        assertThat(created.gitopsFiles().get("apps/checkout/api/overlays/dev/namespace.yaml"))
                .contains("name: payments-dev-api", "platform/cost-center: \"cc-4711\"");
        assertThat(created.gitopsFiles().get("apps/checkout/api/overlays/prod/kustomization.yaml"))
                .contains("namespace: payments-prod-api", "name: ghcr.io/acme/api", "newTag: \"0.1.0\"");
        assertThat(created.gitopsFiles().get("apps/checkout/api/base/deployment.yaml"))
                .contains("cpu: \"100m\"", "memory: \"512Mi\"", "runAsNonRoot: true");
        assertThat(created.gitopsFiles().get("catalog/components/api.yaml"))
                .contains("name: api", "system: checkout", "owner: group:team-payments");

        assertThat(created.appFiles()).containsKeys("README.md", "catalog-info.yaml", "Dockerfile", "nginx.conf", "VERSION",
                ".github/workflows/ci.yaml", "docs/index.md", "mkdocs.yml", "public/index.html");
        assertThat(created.appFiles().get("catalog-info.yaml")).contains("name: api", "system: checkout",
                "owner: group:team-payments");
        assertThat(created.appFiles().get("README.md")).startsWith("# api\n").contains(
                "Created by Paver in system `checkout` of domain `payments`, owned by `team-payments`.",
                "listens on port 8080", "`ghcr.io/acme/api:<VERSION>`", "as `payments-{env}-api`");
        assertThat(created.appFiles().get("nginx.conf")).contains("listen 8080;", "location = /healthz");
        assertThat(created.appFiles().get("VERSION")).contains("0.1.0");
        assertThat(created.appFiles().get(".github/workflows/ci.yaml")).contains("IMAGE: ghcr.io/acme/api");

        // the person's merge is on main, and main holds what the pull request held
        Map<String, String> main = git.files("payments-gitops", "main");
        assertThat(main).containsAllEntriesOf(created.gitopsFiles());
        assertThat(created.threadAtEnd()).anyMatch(r -> r.contains("merged") && r.contains(created.merge().substring(0, 7)));
        assertThat(created.threadAtEnd()).noneMatch(r -> r.contains("Deployed to dev"));
        assertThat(created.cardAtEnd()).contains("Done",
                "api is merged. Deployment tracking is off, so Paver did not check that it runs.");

        // the golden paths came from the jar; the default work folder is relative to the working folder
        assertThat(folder.resolve("templates")).doesNotExist();
        assertThat(folder.resolve("data/git-work")).isDirectory();
        assertThat(folder.resolve("data/paver.mv.db")).isRegularFile();
        assertThat(paver.log()).as("what Paver logged").doesNotContain(SlackWorkspace.SIGNING_SECRET)
                .doesNotContain(SlackWorkspace.BOT_TOKEN).doesNotContain("Exception");
    }

    @Test
    void theJarServesItsMetricsInPrometheusFormatAndSaysWhenItIsReady() throws Exception {
        Created created = api();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(paver.url("/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body()).as("the run of %s counted", created.service())
                .containsPattern("(?m)^paver_runs_started_total\\{[^}]*golden_path=\"create-service\"[^}]*origin=\"slash_command\"[^}]*\\} [1-9]")
                .contains("paver_slack_calls_total{", "paver_slack_events_ack_seconds_bucket{")
                .contains("paver_runs_time_to_merge_seconds_count{golden_path=\"create-service\"}");
        HttpResponse<String> ready = http.send(HttpRequest.newBuilder(paver.url("/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
        HttpResponse<String> alive = http.send(HttpRequest.newBuilder(paver.url("/actuator/health/liveness"))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(alive.statusCode()).as(alive.body()).isEqualTo(200);
    }

    @Test
    void promotionToProdWaitsForASecondPersonAndRefusesTheRequestersOwnApproval() throws Exception {
        createService("cart");
        String prodOverlay = "apps/checkout/cart/overlays/prod/kustomization.yaml";
        git.commit("payments-gitops", "main", "apps/checkout/cart/overlays/staging/kustomization.yaml",
                old -> old.replace("newTag: \"0.1.0\"", "newTag: \"0.2.0\""), "Sam");

        HttpResponse<String> ack = slack.types(DANA, "/platform promote cart --to prod --reason \"CHG-1024 new checkout flow\"");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("Starting *promote* for `cart`");
        slack.awaitCard("promote payments/cart", "Waiting for approval (0 of 1)");
        slack.awaitThread("Approval needed: Promote cart to prod");
        slack.await("the approvers' channel shows the request", () -> slack.messagesIn(APPROVALS).stream()
                .anyMatch(m -> m.contains("Approval needed: Promote cart to prod") && m.contains("CHG-1024 new checkout flow")
                        && m.contains("0.1.0 → 0.2.0")) ? null : "its messages: " + slack.messagesIn(APPROVALS));
        String promoteBranch = newestBranch("payments-gitops", "/promote-cart-prod");
        assertThat(git.files("payments-gitops", promoteBranch).get(prodOverlay)).contains("newTag: \"0.2.0\"");
        String mainBefore = git.head("payments-gitops", "main");

        // Dana approves her own request: refused, privately, and nothing moves
        assertThat(slack.clicks(DANA, "Approve", APPROVALS).statusCode()).isEqualTo(200);
        slack.await("Dana is told privately that she cannot approve", () -> told(DANA).stream()
                .anyMatch(t -> t.contains("You asked for this, so you cannot approve it") && t.contains("<@U0ALEX>, <@U0SAM>"))
                ? null : "she was told " + told(DANA));
        Thread.sleep(2_000); // let anything the click might have started settle, then look
        assertThat(git.head("payments-gitops", "main")).as("main after Dana's own click").isEqualTo(mainBefore);
        assertThat(slack.card()).contains("Waiting for approval (0 of 1)");
        assertThat(slack.thread()).noneMatch(r -> r.contains("Approved by") || r.contains("Paver merged"));
        assertThat(git.files("payments-gitops", "main").get(prodOverlay)).contains("newTag: \"0.1.0\"");

        // Alex, an approver, approves: Paver merges on his behalf
        assertThat(slack.clicks(ALEX, "Approve", APPROVALS).statusCode()).isEqualTo(200);
        slack.await("Alex is told his approval counted", () -> told(ALEX).stream().anyMatch(t -> t.contains("You approved it"))
                ? null : "he was told " + told(ALEX));
        slack.awaitThread("Approved by <@U0ALEX>", "Paver merged");
        slack.await("the prod overlay on main runs 0.2.0", () -> {
            try {
                String prod = git.files("payments-gitops", "main").getOrDefault(prodOverlay, "");
                return prod.contains("newTag: \"0.2.0\"") ? null : prod;
            } catch (Exception e) {
                return e.toString();
            }
        });
        slack.await("the approvers' channel says who approved", () -> slack.messagesIn(APPROVALS).stream()
                .anyMatch(m -> m.contains("Approved by <@U0ALEX>")) ? null : "its messages: " + slack.messagesIn(APPROVALS));
        slack.awaitCard("Done", "The promotion of cart to prod is merged. Deployment tracking is off");
        String merged = git.head("payments-gitops", "main").substring(0, 7);
        assertThat(slack.thread()).anyMatch(r -> r.contains("Paver merged branch " + promoteBranch)
                && r.contains("as approved by <@U0ALEX>") && r.contains(merged));
        assertThat(slack.thread()).anyMatch(r -> r.contains("sync payments-prod-cart to " + merged + " in Argo CD"));
        assertThat(told(DANA)).noneMatch(t -> t.contains("You approved it"));
    }

    @Test
    void validateAcceptsTheRepositoryARunProducedAndNamesFileAndRuleInABrokenCopy() throws Exception {
        api();
        Path work = Files.createTempDirectory("paver-jar-validate-");
        try {
            Path checkout = work.resolve("payments-gitops");
            Git.cloneRepository().setURI(git.bare("payments-gitops").toUri().toString()).setDirectory(checkout.toFile())
                    .call().close();
            assertThat(checkout.resolve("apps/checkout/api/overlays/prod/kustomization.yaml")).exists();

            PaverJar.Result valid = PaverJar.run(work, Map.of(), PaverJar.CLI_TIMEOUT, "validate", "payments-gitops");
            assertThat(valid.exitCode()).as(valid.toString()).isZero();
            assertThat(valid.stdout()).as(valid.toString()).isBlank();

            Path prod = checkout.resolve("apps/checkout/api/overlays/prod/kustomization.yaml");
            Files.writeString(prod, Files.readString(prod).replace("newTag: \"0.1.0\"", "newTag: latest"));
            Path namespace = checkout.resolve("apps/checkout/api/overlays/dev/namespace.yaml");
            Files.writeString(namespace, Files.readString(namespace).replaceAll("(?m)^\\s*platform/owner: .*\\n", ""));
            PaverJar.Result broken = PaverJar.run(work, Map.of(), PaverJar.CLI_TIMEOUT, "validate", "payments-gitops");
            assertThat(broken.exitCode()).as(broken.toString()).isEqualTo(1);
            List<String> lines = broken.stdout().lines().toList();
            assertThat(lines).as(broken.toString()).hasSize(2);
            assertThat(lines).as(broken.toString()).anyMatch(l -> l.startsWith("apps/checkout/api/overlays/dev/namespace.yaml:")
                    && l.contains(": required-label: ") && l.contains("Namespace/payments-dev-api lacks label platform/owner"));
            assertThat(lines).as(broken.toString()).anyMatch(l -> l.startsWith("apps/checkout/api/overlays/prod/kustomization.yaml:") && l.contains(": image-tag: ")
                    && l.contains("'ghcr.io/acme/api:latest' in prod"));
            assertThat(broken.stderr()).contains("2 violations");
        } finally {
            PaverJar.delete(work);
        }
    }

    private List<String> told(String user) {
        try {
            return slack.told(user);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * create-service {@code api} once for the class, asserting each step as a person sees it: the command is
     * acknowledged, both branches are pushed, a person merges the GitOps branch with plain git, and the run ends.
     */
    private synchronized Created api() throws Exception {
        if (api == null) {
            api = createService("api");
        }
        return api;
    }

    private Created createService(String service) throws Exception {
        int cardsBefore = slack.cards().size();
        HttpResponse<String> ack = slack.types(DANA, "/platform create-service " + service
                + " --system checkout --owner team-payments --profile small");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("Starting *create-service* for `" + service + "`");
        slack.await("Paver posts the run's card", () -> slack.cards().size() > cardsBefore ? null : "no new card");
        slack.awaitCard("create-service payments/" + service, "Waiting for branch paver/",
                "Deployment tracking is off: no cluster is configured");
        slack.awaitThread("opened in payments-gitops", "Repository " + service + " is ready", "opened in " + service);

        String gitopsBranch = newestBranch("payments-gitops", "/create-service-" + service);
        List<String> appBranches = git.paverBranches(service);
        assertThat(appBranches).as("branches of the new application repository").hasSize(1);
        Map<String, String> gitopsFiles = git.files("payments-gitops", gitopsBranch);
        Map<String, String> appFiles = git.files(service, appBranches.get(0));

        String before = git.head("payments-gitops", "main");
        String merge = git.merge("payments-gitops", gitopsBranch, "Alex");
        assertMergeCommit("payments-gitops", merge, before, gitopsBranch);
        slack.awaitThread("merged", "Deployment tracking is off: no cluster is configured");
        slack.awaitCard("Done", service + " is merged. Deployment tracking is off, so Paver did not check that it runs.");
        assertThat(slack.cards()).as("status cards: one per run").hasSize(cardsBefore + 1);
        return new Created(service, gitopsBranch, appBranches.get(0), merge, gitopsFiles, appFiles, slack.thread(), slack.card());
    }

    /** The newest of Paver's branches in {@code repository} whose name ends with {@code suffix}. */
    private String newestBranch(String repository, String suffix) throws Exception {
        List<String> branches = git.paverBranches(repository).stream().filter(b -> b.endsWith(suffix)).toList();
        assertThat(branches).as("Paver's branches ending with " + suffix + " in " + repository).isNotEmpty();
        return branches.get(0);
    }

    /** {@code merge} is main's head: a commit with two parents, the old main and the branch's head. */
    private void assertMergeCommit(String repository, String merge, String before, String branch) throws Exception {
        try (Repository repo = Git.open(git.bare(repository).toFile()).getRepository(); RevWalk walk = new RevWalk(repo)) {
            RevCommit commit = walk.parseCommit(repo.resolve(merge));
            assertThat(commit.getParentCount()).isEqualTo(2);
            assertThat(commit.getParent(0).name()).isEqualTo(before);
            assertThat(commit.getParent(1).name()).isEqualTo(repo.resolve(Constants.R_HEADS + branch).name());
        }
    }
}
