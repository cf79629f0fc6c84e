package dev.paver.jar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.GitStandIn;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two packaged jars on one PostgreSQL (embedded binaries, loopback), as two replicas behind one address: one takes a
 * create-service request and is killed with SIGKILL while the run goes on; the other takes the run over once its
 * lease expired ({@code PAVER_RUNS_LEASE=5s}) and finishes it, in the same thread, each message once.
 */
class TwoReplicasJarIT {

    private static final String CHANNEL = "C0PAYMENTS";
    private static final String DANA = "U0DANA";

    private EmbeddedPostgres postgres;
    private SlackWorkspace slack;
    private PaverJar first;
    private PaverJar second;
    private Path root;

    @RegisterExtension
    final PrintOnFailure printOnFailure = new PrintOnFailure(() -> second != null ? second : first, () -> slack);

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {first, second, slack, postgres}) {
            if (c != null) {
                c.close();
            }
        }
        PaverJar.delete(root);
    }

    @Test
    void aReplicaKilledMidRunHasItsRunFinishedByTheOtherWithEachMessageOnce() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
        root = Files.createTempDirectory("paver-jar-replicas-");
        slack = new SlackWorkspace(CHANNEL, Map.of(DANA, "Dana (developer)"));
        Map<String, String> env = new LinkedHashMap<>(slack.env());
        env.put("SPRING_DATASOURCE_URL", postgres.getJdbcUrl("postgres", "postgres"));
        env.put("SPRING_DATASOURCE_USERNAME", "postgres");
        env.put("PAVER_KUBERNETES_ENABLED", "false");
        env.put("PAVER_GIT_LOCAL_ROOT", root.resolve("git").toString()); // the git host both replicas push to
        env.put("PAVER_GIT_POLL_INTERVAL", "1s");
        env.put("PAVER_RUNS_LEASE", "5s");
        first = PaverJar.start(Files.createDirectories(root.resolve("first")), env);
        second = PaverJar.start(Files.createDirectories(root.resolve("second")), env);
        GitStandIn git = new GitStandIn(root.resolve("git"));

        slack.connect(first);
        HttpResponse<String> ack = slack.types(DANA, "/platform create-service api --system checkout --owner team-payments");
        assertThat(ack.statusCode()).isEqualTo(200);
        slack.await("the first replica posts the run's card", () -> slack.cards().isEmpty() ? "no card" : null);
        first.kill();
        long killed = System.nanoTime();
        slack.connect(second);

        slack.awaitThread("opened in payments-gitops", "Repository api is ready", "opened in api");
        List<String> branches = git.paverBranches("payments-gitops");
        assertThat(branches).as("one GitOps branch").hasSize(1);
        git.merge("payments-gitops", branches.get(0), "Alex");
        slack.awaitCard("Done", "api is merged");
        System.out.printf("the second replica finished the run %d ms after the first was killed%n",
                (System.nanoTime() - killed) / 1_000_000);

        assertThat(slack.cards()).as("one status card").hasSize(1);
        assertThat(slack.thread()).as("each message in the thread once").doesNotHaveDuplicates()
                .filteredOn(r -> r.contains("opened in payments-gitops")).hasSize(1);
        assertThat(git.paverBranches("api")).as("one branch of the application repository").hasSize(1);
        assertThat(second.log()).contains("runs are leased as replica").doesNotContain("Exception");
    }
}
