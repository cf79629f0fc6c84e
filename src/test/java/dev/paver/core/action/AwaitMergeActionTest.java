package dev.paver.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.approval.MergePolicies;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.audit.AuditLog;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.goldenpath.StepSpec;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RunRequest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@code paver:await-merge} with checks and merge policies, against a git host held in memory. */
class AwaitMergeActionTest {

    private static final String HEAD = "a".repeat(40);
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    private static final MergePolicies DEV_AND_STAGING = new MergePolicies(List.of(
            new MergePolicies.Policy("create-service", List.of("dev", "staging"), List.of()),
            new MergePolicies.Policy("promote", List.of("staging"), List.of("payments"))), "prod");

    /** A git host with one open pull request: its checks, whether it allows auto-merge, whether it refuses merges. */
    static final class Host implements RepositoryPort {
        String head = HEAD;
        List<Check> checks = new ArrayList<>();
        boolean autoMergeAllowed;
        boolean autoMergeEnabled;
        String refusal;
        int merges;
        Merged mergedState;

        record Merged(String revision, String by) {
        }

        @Override
        public List<Check> checks(PullRequest pullRequest, String headSha) {
            return headSha.equals(head) ? checks : List.of();
        }

        @Override
        public boolean enableAutoMerge(PullRequest pullRequest, String expectedHead, String message) {
            if (autoMergeAllowed) {
                autoMergeEnabled = true;
            }
            return autoMergeAllowed;
        }

        @Override
        public MergeState.Merged merge(PullRequest pullRequest, String expectedHead, String message) {
            if (refusal != null) {
                throw new RepositoryException(refusal);
            }
            merges++;
            mergedState = new Merged("b".repeat(40), "paver-bot");
            return new MergeState.Merged(mergedState.revision(), mergedState.by());
        }

        @Override
        public MergeState mergeState(PullRequest pullRequest) {
            return mergedState == null ? new MergeState.Open(head) : new MergeState.Merged(mergedState.revision(), mergedState.by());
        }

        @Override
        public RepositoryInfo ensureRepository(String name, String description) {
            throw new UnsupportedOperationException();
        }

        @Override
        public PullRequest openPullRequest(PullRequestDraft draft) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, String> readFiles(String repository, String directory) {
            return Map.of();
        }

        @Override
        public boolean contains(String repository, String revision, String commit) {
            return false;
        }

        @Override
        public String cloneUrl(String repository) {
            return repository;
        }

        @Override
        public List<String> listRepositories() {
            return List.of();
        }
    }

    private final Host host = new Host();
    private final List<AuditEntry> audited = new ArrayList<>();

    private final class Audit implements AuditLog {
        @Override
        public void append(AuditEntry entry) {
            audited.add(entry);
        }

        @Override
        public List<AuditEntry> recent(Collection<String> subjects, int limit) {
            return List.of();
        }

        @Override
        public List<AuditEntry> recentBy(String actor, int limit) {
            return List.of();
        }

        @Override
        public List<AuditEntry> recentIn(String domain, int limit) {
            return List.of();
        }

        @Override
        public void export(Instant since, Consumer<AuditEntry> sink) {
        }
    }

    private ActionResult await(String goldenPath, String environment, boolean gate) {
        List<StepSpec> steps = new ArrayList<>();
        if (gate) {
            steps.add(new StepSpec("validate", "Check", "paver:conventions:validate", Map.of(), null, null));
        }
        steps.add(new StepSpec("await-merge", "Wait", "paver:await-merge", Map.of(), null, null));
        GoldenPath path = new GoldenPath(goldenPath, null, null, null, steps, Map.of(), List.of(), null);
        Map<String, Object> input = new LinkedHashMap<>(Map.of("repository", "payments-gitops",
                "branchName", "paver/r1/publish-gitops", "pullRequestNumber", "3",
                "remoteUrl", "https://github.com/acme/payments-gitops/pull/3", "headSha", HEAD));
        input.put("environment", environment);
        RunRequest request = new RunRequest(goldenPath, Map.of("service", "api"), Map.of("domain", "payments"), "U0DANA",
                RunRequest.Origin.TYPED, "C0PAYMENTS");
        return new AwaitMergeAction(host, Duration.ofDays(2), Duration.ofDays(14), DEV_AND_STAGING, Duration.ofSeconds(15), new Audit())
                .execute(new ActionContext("r1", "await-merge", NOW, NOW, request, path, input, new LinkedHashMap<>(),
                        Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    private static List<String> texts(ActionResult result) {
        return result.milestones().stream().map(Milestone::text).toList();
    }

    @Test
    void aPolicyMergesWhenTheGatePassedAndEveryCheckIsGreenAndSaysWhy() {
        host.checks.add(new RepositoryPort.Check("validate-conventions", RepositoryPort.CheckState.SUCCESS, "https://ci/1"));

        ActionResult result = await("create-service", "dev", true);

        assertThat(result).isInstanceOfSatisfying(ActionResult.Done.class,
                done -> assertThat(done.output()).containsEntry("revision", "b".repeat(40)).containsEntry("mergedBy", "paver-bot"));
        assertThat(host.merges).isOne();
        assertThat(texts(result)).singleElement().asString()
                .contains("merged by policy (create-service in dev, staging): gate passed, checks green");
        assertThat(audited).singleElement().satisfies(e -> {
            assertThat(e.actor()).isEqualTo("paver");
            assertThat(e.action()).isEqualTo("merge");
            assertThat(e.subject()).isEqualTo("payments-dev-api");
            assertThat(e.detail()).contains("payments-gitops pull request #3", "merged by policy");
        });
    }

    @Test
    void whereTheRepositoryAllowsAutoMergeGitHubIsAskedToMergeAndTheRunWaitsForIt() {
        host.autoMergeAllowed = true;
        host.checks.add(new RepositoryPort.Check("build", RepositoryPort.CheckState.PENDING, ""));

        ActionResult result = await("create-service", "dev", true);

        assertThat(host.autoMergeEnabled).isTrue();
        assertThat(host.merges).isZero();
        assertThat(result).isInstanceOfSatisfying(ActionResult.Waiting.class,
                w -> assertThat(w.wakeAt()).isEqualTo(NOW.plusSeconds(15)));
        assertThat(texts(result)).singleElement().asString().contains("auto-merge merges it once its required checks are green");
    }

    @Test
    void aPendingCheckMakesThePolicyWaitAndLookAgainSoon() {
        host.checks.add(new RepositoryPort.Check("build", RepositoryPort.CheckState.PENDING, ""));

        ActionResult result = await("create-service", "dev", true);

        assertThat(host.merges).isZero();
        assertThat(result).isInstanceOfSatisfying(ActionResult.Waiting.class, w -> {
            assertThat(w.wakeAt()).isEqualTo(NOW.plusSeconds(15));
            assertThat(w.detail()).contains("checks pending");
        });
        assertThat(result.milestones()).isEmpty();
    }

    @Test
    void aFailingCheckIsReportedWithItsLinkUnderAKeyOfItsNameAndHeadAndNothingIsMerged() {
        host.autoMergeAllowed = true;
        host.checks.add(new RepositoryPort.Check("validate-conventions", RepositoryPort.CheckState.FAILURE, "https://ci/7"));
        host.checks.add(new RepositoryPort.Check("build", RepositoryPort.CheckState.SUCCESS, "https://ci/8"));

        ActionResult first = await("create-service", "dev", true);
        ActionResult again = await("create-service", "dev", true);

        assertThat(host.merges).isZero();
        assertThat(audited).isEmpty();
        assertThat(host.autoMergeEnabled).as("auto-merge is not enabled while a check fails").isFalse();
        assertThat(first).isInstanceOf(ActionResult.Waiting.class);
        assertThat(first.milestones()).singleElement().satisfies(m -> {
            assertThat(m.key()).isEqualTo("check-failed:validate-conventions:" + HEAD);
            assertThat(m.text()).contains("Check validate-conventions failed on pull request #3", "does not merge it by policy");
            assertThat(m.links()).singleElement().satisfies(l -> assertThat(l.url()).isEqualTo("https://ci/7"));
        });
        // the engine posts a milestone once per key: the same key again says nothing new
        assertThat(again.milestones()).extracting(Milestone::key).containsExactly("check-failed:validate-conventions:" + HEAD);
    }

    @Test
    void aFailingCheckIsReportedWithoutAPolicyToo() {
        host.checks.add(new RepositoryPort.Check("lint", RepositoryPort.CheckState.FAILURE, "https://ci/9"));

        ActionResult result = await("create-domain", "", true);

        assertThat(texts(result)).singleElement().asString().contains("Check lint failed").doesNotContain("policy");
    }

    @Test
    void prodIsNeverMergedByPolicyAndAPolicyCannotNameIt() {
        ActionResult result = await("promote", "prod", true);

        assertThat(result).isInstanceOf(ActionResult.Waiting.class);
        assertThat(host.merges).isZero();
        assertThat(new MergePolicies(List.of(new MergePolicies.Policy("promote", List.of("staging"), List.of())), "prod")
                .allows("promote", "prod", "payments")).isEmpty();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new MergePolicies(
                        List.of(new MergePolicies.Policy("promote", List.of("staging", "prod"), List.of())), "prod"))
                .hasMessageContaining("policies[0].environments names prod").hasMessageContaining("four eyes");
    }

    @Test
    void noPolicyMatchesAnotherPathEnvironmentOrDomainOrARunWithoutTheGate() {
        assertThat(await("create-service", "prod", true)).isInstanceOf(ActionResult.Waiting.class);
        assertThat(await("create-resource", "dev", true)).isInstanceOf(ActionResult.Waiting.class);
        assertThat(await("promote", "dev", true)).isInstanceOf(ActionResult.Waiting.class);
        assertThat(await("create-service", "dev", false)).isInstanceOf(ActionResult.Waiting.class);
        assertThat(host.merges).isZero();
        assertThat(DEV_AND_STAGING.allows("promote", "staging", "payments")).isPresent();
        assertThat(DEV_AND_STAGING.allows("promote", "staging", "shipping")).isEmpty();
    }

    @Test
    void aHeadTheGateDidNotCheckIsNotMergedByPolicy() {
        host.head = "c".repeat(40);

        ActionResult result = await("create-service", "dev", true);

        assertThat(host.merges).isZero();
        assertThat(texts(result)).singleElement().asString().contains("has commits the gate did not check");
    }

    @Test
    void aBranchProtectionRefusalIsSaidAndTheRunWaitsForAPerson() {
        host.refusal = "GitHub cannot merge pull request #3 (HTTP 405: At least 1 approving review is required)";

        ActionResult result = await("create-service", "dev", true);

        assertThat(result).isInstanceOfSatisfying(ActionResult.Waiting.class,
                w -> assertThat(w.wakeAt()).as("no quick look again: a person merges").isEqualTo(NOW.plus(Duration.ofDays(2))));
        assertThat(result.milestones()).singleElement().satisfies(m -> {
            assertThat(m.key()).isEqualTo("policy-refused:" + HEAD);
            assertThat(m.text()).contains("could not merge pull request #3", "approving review", "waits for a person");
        });
    }

    @Test
    void onPlainGitWithNoChecksAPolicyMergesAtOnce() {
        ActionResult result = await("create-service", "staging", true);

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(texts(result)).singleElement().asString().contains("merged by policy", "gate passed, no checks to wait for");
    }
}
