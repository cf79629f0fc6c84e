package dev.paver.conversation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.action.ApplicationStatus;
import dev.paver.kubernetes.ArgoCdApplications;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The stand-in's Argo CD ({@link ArgoCdController}) against Paver's own adapter: it syncs what a refresh asked for, and
 * only then; a poll interval of an hour never comes during a test.
 */
class ArgoCdControllerTest {

    private static final String REVISION = "bb514a7c3e1d9f5a7b3c1e9d7f5a3b1c9e7d5f3a";

    private ClusterStandIn cluster;
    private ArgoCdApplications paver;
    private ArgoCdController argoCd;
    private final AtomicReference<String> head = new AtomicReference<>();

    @BeforeEach
    void start() {
        cluster = new ClusterStandIn("argocd");
        paver = new ArgoCdApplications(cluster.client(), "argocd")
                .applicationSets(app -> Optional.of("payments"));
        argoCd = cluster.argoCd(app -> Optional.ofNullable(head.get()), Duration.ofHours(1), Duration.ofMillis(200))
                .follow("payments-dev-api", "payments");
    }

    @AfterEach
    void stop() {
        argoCd.close();
        paver.close();
        cluster.close();
    }

    private Optional<ApplicationStatus> status() {
        return paver.application("payments-dev-api");
    }

    @Test
    void aRefreshedApplicationSetGeneratesTheApplicationWhichSyncsTheHead() throws Exception {
        head.set(REVISION);
        Thread.sleep(300);
        assertThat(status()).as("nothing asked Argo CD to look, and its poll is an hour away").isEmpty();

        assertThat(paver.refresh("payments-dev-api")).as("the ApplicationSet was refreshed").isTrue();

        assertThat(Testbed.eventually(() -> status().map(s -> s.syncStatus().equals("Synced")
                && s.healthStatus().equals("Healthy") && s.operationRevision().equals(REVISION)).orElse(false),
                Duration.ofSeconds(10))).isTrue();
        assertThat(argoCd.noticed("payments-dev-api")).hasValueSatisfying(n -> {
            assertThat(n.revision()).isEqualTo(REVISION);
            assertThat(n.by()).isEqualTo("ApplicationSet refresh");
        });
    }

    @Test
    void aRefreshedApplicationSyncsTheNewRevisionAndTheAnnotationIsRemoved() throws Exception {
        cluster.setStatus("payments-dev-api", "Synced", "Healthy", "Succeeded", "0c51f4a3e1d9b7c5a3f1e9d7b5c3a1f9e7d5b3c1", null);
        head.set(REVISION);
        Thread.sleep(300);
        assertThat(status().orElseThrow().operationRevision()).as("not refreshed: the old revision")
                .isEqualTo("0c51f4a3e1d9b7c5a3f1e9d7b5c3a1f9e7d5b3c1");

        assertThat(paver.refresh("payments-dev-api")).isTrue();

        assertThat(Testbed.eventually(() -> status().map(s -> s.syncStatus().equals("Synced")
                && s.operationRevision().equals(REVISION)).orElse(false), Duration.ofSeconds(10))).isTrue();
        Map<String, String> annotations = cluster.client().genericKubernetesResources(ArgoCdApplications.APPLICATIONS)
                .inNamespace("argocd").withName("payments-dev-api").get().getMetadata().getAnnotations();
        assertThat(annotations).doesNotContainKey(ArgoCdApplications.REFRESH_ANNOTATION);
        assertThat(argoCd.noticed("payments-dev-api").orElseThrow().by()).isEqualTo("refresh");
    }
}
