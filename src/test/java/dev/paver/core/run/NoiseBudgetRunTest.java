package dev.paver.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.action.AwaitMergeAction;
import dev.paver.core.action.AwaitSyncAction;
import dev.paver.core.action.CheckFreeAction;
import dev.paver.core.action.CreateRepositoryAction;
import dev.paver.core.action.DeploymentPort;
import dev.paver.core.action.FetchTemplateAction;
import dev.paver.core.action.PreviewAction;
import dev.paver.core.action.PublishPullRequestAction;
import dev.paver.core.action.ValidateConventionsAction;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.ManifestRules;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.report.Message;
import dev.paver.git.JGitRepositories;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run engine holding a busy channel's thread replies back, by its noise budget, and recording them for the digest. */
class NoiseBudgetRunTest {

    @TempDir
    Path tmp;

    private JGitRepositories git;
    private final InMemoryRunStore store = new InMemoryRunStore();
    private final GoldenPathCatalog catalog = GoldenPathCatalog.load(Path.of("templates")).only(List.of("create-service"));
    private final TemplateRenderer renderer = new TemplateRenderer();
    private final Held held = new Held();

    @BeforeEach
    void seed() {
        git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        git.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG, "seed");
    }

    private RunEngine engine(RecordingNotifier slack, NoiseLevel level) {
        ActionRegistry actions = new ActionRegistry(List.of(new FetchTemplateAction(renderer), new CheckFreeAction(git),
                new ValidateConventionsAction(new ManifestRules(Conventions.defaults())), new CreateRepositoryAction(git),
                new PublishPullRequestAction(git), new AwaitMergeAction(git),
                new AwaitSyncAction(DeploymentPort.disabled(), git), new PreviewAction(git)));
        return new RunEngine(catalog, actions, store, slack, renderer, Clock.systemUTC(), Runnable::run)
                .quietedBy(new NoiseBudget(Map.of("C0PAYMENTS", level)), held);
    }

    @Test
    void aChannelOnFailuresGetsTheCardButNotTheMilestonesWhichAreCountedOnce() {
        RecordingNotifier slack = new RecordingNotifier();
        RunEngine engine = engine(slack, NoiseLevel.FAILURES);
        Run run = engine.start(RunEngineTest.createService(git, catalog, "api"));

        Run stored = store.find(run.id()).orElseThrow();
        assertThat(stored.state()).isEqualTo(RunState.WAITING);
        assertThat(slack.cards).as("the card is posted and kept current").hasSizeGreaterThanOrEqualTo(2);
        assertThat(slack.replies).as("no milestone in the thread").isEmpty();
        assertThat(held.keys).containsKeys(run.id() + " publish-app/opened", run.id() + " publish-gitops/opened");
        assertThat(held.keys.values()).allMatch(s -> s.equals("C0PAYMENTS api"));

        int counted = held.keys.size();
        engine.advance(run.id()); // a pass again (a restart, a poll): nothing is held back twice
        assertThat(held.keys).hasSize(counted);
        assertThat(held.calls).hasSize(counted);
    }

    @Test
    void aChannelOnFailuresGetsTheFailureAndTheButtonItMustClick() {
        RecordingNotifier slack = new RecordingNotifier();
        RunEngine engine = engine(slack, NoiseLevel.FAILURES);
        Run run = engine.start(dryRun(RunEngineTest.createService(git, catalog, "api")));
        assertThat(slack.replies).hasSize(1);
        Message preview = slack.replies.get(0);
        String[] value = preview.buttons().get(0).value().split(" ");

        git.ensureRepository("api", "another team's api, made while Dana read the preview");
        engine.signal(value[0], PreviewAction.SIGNAL + value[1], PreviewAction.waitKey(value[0]), "U0DANA");

        assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
        assertThat(slack.replies.get(slack.replies.size() - 1).text())
                .startsWith("Failed:").contains("the repository api exists already");
    }

    @Test
    void aChannelOnCardOnlyGetsNoReplyButThePreviewItMustClick() {
        RecordingNotifier slack = new RecordingNotifier();
        RunEngine engine = engine(slack, NoiseLevel.CARD_ONLY);
        Run run = engine.start(dryRun(RunEngineTest.createService(git, catalog, "api")));
        String[] value = slack.replies.get(0).buttons().get(0).value().split(" ");

        git.ensureRepository("api", "another team's api, made while Dana read the preview");
        engine.signal(value[0], PreviewAction.SIGNAL + value[1], PreviewAction.waitKey(value[0]), "U0DANA");

        assertThat(store.find(run.id()).orElseThrow().state()).isEqualTo(RunState.FAILED);
        assertThat(slack.replies).as("only the preview").hasSize(1);
        assertThat(held.keys.keySet()).anyMatch(k -> k.endsWith("/failed"));
        assertThat(slack.cards.get(slack.cards.size() - 1).state()).containsIgnoringCase("failed");
    }

    /** The same request with the "Preview first" box ticked. */
    private static RunRequest dryRun(RunRequest plain) {
        Map<String, Object> platform = new HashMap<>(plain.platform());
        platform.put(RunRequest.DRY_RUN, true);
        return new RunRequest(plain.goldenPath(), plain.parameters(), platform, plain.requester(), plain.origin(),
                plain.channel());
    }

    /** What the engine held back: {@code <run> <key>} to {@code <channel> <service>}, and every call. */
    private static final class Held implements HeldBack {
        final Map<String, String> keys = new HashMap<>();
        final List<String> calls = new ArrayList<>();

        @Override
        public synchronized void hold(String channel, String runId, String service, String replyKey, Instant at) {
            calls.add(replyKey);
            keys.putIfAbsent(runId + " " + replyKey, channel + " " + service);
        }

        @Override
        public List<Run> heldBetween(String channel, Instant from, Instant to) {
            return List.of();
        }

        @Override
        public Optional<Instant> lastDigestEnd(String channel) {
            return Optional.empty();
        }

        @Override
        public boolean claimDigest(String channel, String day, Instant end, Instant now, Instant until) {
            return false;
        }

        @Override
        public void digestDone(String channel, String day, Instant at) {
        }
    }
}
