package dev.paver.jar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.conversation.GitStandIn;
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
 * The packaged jar, from an empty folder on its default database (H2 in {@code ./data}), killed with SIGKILL the
 * moment Slack got its acknowledgement of a create-service: nothing of the run had happened yet. After the restart on
 * the same folder the request goes on by itself, once: one card, one GitOps branch, each message once.
 */
class KilledAfterTheAckJarIT {

    private static final String CHANNEL = "C0PAYMENTS";
    private static final String DANA = "U0DANA";

    private Path folder;
    private SlackWorkspace slack;
    private PaverJar paver;

    @RegisterExtension
    final PrintOnFailure printOnFailure = new PrintOnFailure(() -> paver, () -> slack);

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {paver, slack}) {
            if (c != null) {
                c.close();
            }
        }
        PaverJar.delete(folder);
    }

    @Test
    void aRequestKilledRightAfterItsAcknowledgementGoesOnOnceAfterTheRestart() throws Exception {
        folder = Files.createTempDirectory("paver-jar-killed-");
        slack = new SlackWorkspace(CHANNEL, Map.of(DANA, "Dana (developer)"));
        Map<String, String> env = new LinkedHashMap<>(slack.env());
        env.put("PAVER_KUBERNETES_ENABLED", "false");
        env.put("PAVER_GIT_LOCAL_ROOT", folder.resolve("data").resolve("git").toString());
        env.put("PAVER_GIT_POLL_INTERVAL", "1s");
        paver = PaverJar.start(folder, env);
        slack.connect(paver);

        HttpResponse<String> ack = slack.types(DANA, "/platform create-service api --system checkout --owner team-payments");
        paver.kill();
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("Starting");

        paver = PaverJar.start(folder, env);
        slack.connect(paver);
        slack.awaitThread("opened in payments-gitops");
        GitStandIn git = new GitStandIn(folder.resolve("data").resolve("git"));
        List<String> branches = git.paverBranches("payments-gitops");
        assertThat(branches).as("one GitOps branch").hasSize(1);
        git.merge("payments-gitops", branches.get(0), "Alex");
        slack.awaitCard("Done");

        assertThat(slack.cards()).as("one status card").hasSize(1);
        assertThat(slack.thread()).as("each message in the thread once").doesNotHaveDuplicates();
        assertThat(paver.log()).as("the restart").doesNotContain("Exception");
    }
}
