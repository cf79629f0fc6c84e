package dev.paver.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversation runner cannot pass by accident: a key it does not know fails the file, a negative expectation is
 * checked once Paver has settled (so a push that comes late is caught), a private answer is checked against its
 * recipient, and a modal is submitted only with values its elements offer.
 */
class ConversationRunnerStrictnessTest {

    @TempDir
    Path tmp;

    private static final Path FILE = Path.of("conversations/strictness/example.yaml");

    private static final String HEAD = """
            title: Strictness
            description: a test of the runner
            people:
              U0DANA: Dana (developer)
              U0SAM: Sam (developer)
            channel: C0PAYMENTS
            cluster: false
            """;

    private static Conversation parse(String text) throws Exception {
        return Conversation.parse(FILE, text);
    }

    @Test
    void anUnknownExpectationKeyFailsNamingFileStepKeyAndTheKnownKeys() {
        assertThatThrownBy(() -> parse(HEAD + """
                steps:
                  - user: U0DANA
                    types: /platform help
                  - expect:
                      no_cards: true
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("example.yaml step 2 (expect) expect: unknown key 'no_cards'")
                .hasMessageContaining("known keys there: card, thread, thread_excludes")
                .hasMessageContaining("no_card,");
    }

    @Test
    void anUnknownKeyInsideAStructuredExpectationFails() {
        assertThatThrownBy(() -> parse(HEAD + """
                steps:
                  - expect:
                      pull_request: {repository: payments-gitops, file_contain: {README.md: [api]}}
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step 1 (expect) expect pull_request: unknown key 'file_contain'")
                .hasMessageContaining("known keys there: repository, files, file_contains, lacks, file_excludes");
    }

    @Test
    void anUnknownStepKindAKeyOfAStepAndATopLevelKeyFail() {
        assertThatThrownBy(() -> parse(HEAD + """
                steps:
                  - user: U0DANA
                    type: /platform help
                """)).hasMessageContaining("step 1: unknown step kind [user, type]")
                .hasMessageContaining("a step is exactly one of [types, modal_opens, submits, clicks");
        assertThatThrownBy(() -> parse(HEAD + """
                steps:
                  - user: U0DANA
                    clicks: Approve
                    inside: C0APPROVALS
                """)).hasMessageContaining("step 1 (clicks): unknown key 'inside'; known keys there: user, clicks, in, stale, status");
        assertThatThrownBy(() -> parse(HEAD + """
                setting: {paver.approvals.timeout: 1h}
                steps:
                  - passes: 1s
                """)).hasMessageContaining("example.yaml: top level: unknown key 'setting'");
        assertThatThrownBy(() -> parse(HEAD + """
                steps:
                  - merges: {repository: payments-gitops}
                    expect: {no_card: true}
                """)).hasMessageContaining("step 1: one step holds several kinds [merges, expect]");
    }

    @Test
    void everyDocumentedKeyIsKnown() throws Exception {
        Conversation conversation = parse(HEAD + """
                sealed_secrets: true
                slack_refuses: {C0PRIVATE: not_in_channel}
                namespaces: [payments-prod-api]
                settings: {paver.identity.users.U0DANA: dana@acme.com}
                steps:
                  - {user: U0DANA, types: /platform help, paver_answers: [help], signature: valid, status: 200}
                  - modal_opens: {title: T, fields: [a], prefilled: {a: b}, options: {a: [b]}}
                  - {user: U0DANA, submits: {a: b}, modal_errors: {a: bad}}
                  - {user: U0DANA, clicks: Approve, in: C0APPROVALS, stale: true, status: 200}
                  - at_once: [{user: U0DANA, clicks: Approve, in: C0APPROVALS}]
                  - opens_home: U0DANA
                  - {user: U0DANA, merges: {repository: r}}
                  - {user: U0DANA, pushes: {repository: r, file: f, branch: main, content: c, replace: {from: a, to: b}}}
                  - argocd: {application: a, sync: Synced, health: Healthy, phase: Succeeded, revision: merged, message: m, repository: r}
                  - crossplane: {claim: c, namespace: n, kind: Queue, apiVersion: v, v2: true, ready: "True", reason: r,
                                 message: m, error: e, connectionSecret: s, deleted: false, plural: queues,
                                 composed: [{kind: K, apiVersion: v, resource: r, name: n, ready: "True", reason: r,
                                             message: m, error: e, plural: ks,
                                             conditions: [{type: T, status: "True", reason: r, message: m}]}]}
                  - passes: 1s
                  - time_passes: 1h
                  - restart: paver
                  - expect:
                      card: {contains: [a], cards: 1}
                      thread: [a]
                      thread_excludes: [b]
                      replies_unique: true
                      replies_in_card_thread: true
                      no_card: true
                      told_privately: [a]
                      direct_messages: [a]
                      pull_request: {repository: r, files: [f], file_contains: {f: [a]}, lacks: [g], file_excludes: {f: [b]}}
                      main: {repository: r, files: [f], file_contains: {f: [a]}, lacks: [g], file_excludes: {f: [b]}}
                      no_branches_in: [r]
                      no_repository: [r]
                      told: {U0SAM: [a]}
                      messages_in: {C0APPROVALS: [a]}
                      no_messages_in: [C0APPROVALS]
                      home: {U0DANA: [a]}
                      role_bindings: {namespace: n, count: 1, contain: [a]}
                      paver_branches: {r: 1}
                      never_shown: [s]
                      unseals: {repository: r, file: f, key: K, to: v}
                      application: {name: a, operation_contains: [main]}
                """);

        assertThat(conversation.steps()).hasSize(14);
    }

    @Test
    void checksExistOnlyOnGitHubAndTheirKeysAndValuesAreChecked() throws Exception {
        Conversation github = parse(HEAD + """
                git: github
                checks:
                  - {repository: payments-gitops, name: conftest, kind: check_run, conclusion: failure, after: 30s, url: "https://ci/1"}
                  - {repository: payments-gitops, name: kubeconform, kind: status}
                steps:
                  - {user: U0DANA, reruns: {repository: payments-gitops, check: conftest, conclusion: success}}
                """);
        assertThat(github.checks()).containsExactly(
                new Conversation.Check("payments-gitops", "conftest", "check_run", false, java.time.Duration.ofSeconds(30), "https://ci/1"),
                new Conversation.Check("payments-gitops", "kubeconform", "status", true, java.time.Duration.ZERO, null));

        assertThatThrownBy(() -> parse(HEAD + """
                checks: [{repository: payments-gitops, name: conftest}]
                steps:
                  - passes: 1s
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("example.yaml: checks exist on GitHub only; add git: github");
        assertThatThrownBy(() -> parse(HEAD + """
                git: github
                checks: [{repository: payments-gitops, name: conftest, conclusion: failed}]
                steps:
                  - passes: 1s
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("conclusion is success (the default) or failure, not failed");
        assertThatThrownBy(() -> parse(HEAD + """
                git: github
                checks: [{repository: payments-gitops, name: conftest, state: failure}]
                steps:
                  - passes: 1s
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("top level checks[0]: unknown key 'state'; known keys there: repository, name, kind, conclusion, after, url");
        assertThatThrownBy(() -> parse(HEAD + """
                git: gitlab
                steps:
                  - passes: 1s
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("git is local (the default), daemon or github, not gitlab");
    }

    @Test
    void backstageIsAnEngineOnGitHubOnly() throws Exception {
        Conversation engine = parse(HEAD + """
                git: github
                backstage: engine
                steps:
                  - {user: U0DANA, types: "/platform create-service --service api --system checkout"}
                  - {user: U0DANA, merges: {repository: r, branch: backstage/api}}
                """);
        assertThat(engine.backstage()).isTrue();
        assertThat(parse(HEAD + """
                git: github
                steps:
                  - passes: 1s
                """).backstage()).as("without the key, no Backstage").isFalse();

        assertThatThrownBy(() -> parse(HEAD + """
                backstage: engine
                steps:
                  - passes: 1s
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("example.yaml: backstage: engine needs git: github");
        assertThatThrownBy(() -> parse(HEAD + """
                git: github
                backstage: portal
                steps:
                  - passes: 1s
                """)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("backstage is engine (a real Backstage backend runs the Templates), not portal");
    }

    @Test
    void onGitHubAPersonCannotMergeWhileARequiredCheckFails() throws Exception {
        // the merge button respects the required check; the pull request stays open and Paver does not merge it either
        Conversation conversation = parse(HEAD + """
                git: github
                checks: [{repository: payments-gitops, name: conftest, conclusion: failure}]
                steps:
                  - user: U0DANA
                    types: /platform create-service api --system checkout --owner team-payments
                  - expect:
                      thread: [Check conftest failed]
                  - user: U0SAM
                    merges: {repository: payments-gitops}
                """);

        try (ConversationRunner runner = new ConversationRunner(conversation, tmp.resolve("github-merge"))) {
            assertThatThrownBy(runner::run).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("step 3 [user, merges]: GitHub refuses to merge pull request #1 of payments-gitops: "
                            + "Required status check \"conftest\" is failing.");
        }
    }

    @Test
    void negativeAndExactKeysWaitForPaverToSettle() {
        assertThat(ConversationRunner.needsSettling(Map.of("no_branches_in", "payments-gitops"))).isTrue();
        assertThat(ConversationRunner.needsSettling(Map.of("card", Map.of("contains", "x", "cards", 1)))).isTrue();
        assertThat(ConversationRunner.needsSettling(Map.of("main", Map.of("repository", "r", "lacks", "f")))).isTrue();
        assertThat(ConversationRunner.needsSettling(Map.of("told", Map.of("U0SAM", "x")))).isTrue();
        assertThat(ConversationRunner.needsSettling(Map.of("card", Map.of("contains", "x"), "thread", "y"))).isFalse();
    }

    @Test
    void aBranchPushedAfterTheFirstPollFailsNoBranchesIn() throws Exception {
        // the push comes after Paver acknowledged the command; checked at once, no_branches_in would hold
        Conversation conversation = parse(HEAD + """
                steps:
                  - user: U0DANA
                    types: /platform create-service api --system checkout --owner team-payments
                  - expect:
                      no_branches_in: [payments-gitops]
                """);

        try (ConversationRunner runner = new ConversationRunner(conversation, tmp.resolve("late"))) {
            assertThatThrownBy(runner::run).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("step 2 [expect]: once Paver had settled: payments-gitops has branches [paver/");
        }
    }

    @Test
    void aPrivateAnswerCountsOnlyForItsRecipient() throws Exception {
        // Slack refuses the card: Paver answers Dana on her command's response URL, not Sam
        Conversation conversation = parse(HEAD.replace("channel: C0PAYMENTS", "channel: C0PRIVATE") + """
                slack_refuses: {C0PRIVATE: not_in_channel}
                steps:
                  - user: U0DANA
                    types: /platform create-service api --system checkout --owner team-payments
                  - expect:
                      told_privately: [Paver could not post its status card]
                      told: {U0DANA: [Paver could not post its status card]}
                  - expect:
                      told: {U0SAM: [Paver could not post its status card]}
                """);

        try (ConversationRunner runner = new ConversationRunner(conversation, tmp.resolve("recipient")).within(5)) {
            assertThatThrownBy(runner::run).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("step 3 [expect]: Paver told Sam (developer) privately [], nothing containing");
        }
    }

    @Test
    void aModalIsSubmittedOnlyWithWhatItsFieldsOffer() throws Exception {
        Conversation conversation = parse(HEAD + """
                steps:
                  - user: U0DANA
                    types: /platform create-service
                  - user: U0DANA
                    submits: {service: api, system: no-such-system, owner: team-payments}
                """);

        try (ConversationRunner runner = new ConversationRunner(conversation, tmp.resolve("modal"))) {
            assertThatThrownBy(runner::run).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("step 2 [user, submits]: field system offers [")
                    .hasMessageContaining("\"no-such-system\" is not one of them");
        }
        Conversation typo = parse(HEAD + """
                steps:
                  - user: U0DANA
                    types: /platform create-service
                  - user: U0DANA
                    submits: {service: api, sytem: checkout}
                """);
        try (ConversationRunner runner = new ConversationRunner(typo, tmp.resolve("typo"))) {
            assertThatThrownBy(runner::run).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("the modal has no field \"sytem\"");
        }
    }

    @Test
    void aChoiceInAModalIsSentOnlyFromAFieldThatDispatchesIt() throws Exception {
        Conversation conversation = parse(HEAD + """
                steps:
                  - user: U0DANA
                    types: /platform create-service
                  - user: U0DANA
                    chooses: {system: checkout}
                """);
        try (ConversationRunner runner = new ConversationRunner(conversation, tmp.resolve("chooses"))) {
            assertThatThrownBy(runner::run).isInstanceOf(AssertionError.class)
                    .hasMessageContaining("step 2 [user, chooses]: field system has no dispatch_action");
        }
        assertThatThrownBy(() -> parse(HEAD + """
                steps:
                  - user: U0DANA
                    chooses: {system: checkout}
                    typed: {service: api}
                    submits: {service: api}
                """)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step 1");
    }
}
