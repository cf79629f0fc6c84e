package dev.paver.core.action;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.git.JGitRepositories;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code paver:promotion:render} against a real (local) GitOps repository. */
class PromotionActionTest {

    @TempDir
    Path tmp;

    private JGitRepositories git;
    private final Map<String, String> workspace = new LinkedHashMap<>();

    private static String overlay(String comment, String tag) {
        return "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" + comment
                + "resources:\n  - ../../base\nimages:\n  - name: ghcr.io/acme/sidecar\n    newTag: \"9.9\"\n"
                + "  - name: ghcr.io/acme/api   # the service\n    newTag: " + tag + "   # set by CI\n";
    }

    @BeforeEach
    void repository() {
        git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        git.seed("payments-gitops", Map.of(
                "apps/checkout/api/base/kustomization.yaml", "resources: [deployment.yaml]\n",
                "apps/checkout/api/overlays/staging/kustomization.yaml", overlay("# staging, café ☕\n", "\"0.2.0\""),
                "apps/checkout/api/overlays/prod/kustomization.yaml", overlay("# prod: careful\n", "'0.1.0'")), "seed");
    }

    private ActionResult promote(String revision) {
        Map<String, Object> input = new HashMap<>(Map.of("repository", "payments-gitops", "system", "checkout", "service", "api",
                "from", "staging", "to", "prod", "targetPath", "gitops"));
        input.put("revision", revision);
        return new PromotionAction(git).execute(new ActionContext("r1", "render", Instant.EPOCH, Instant.EPOCH, null, null,
                input, workspace, Clock.systemUTC()));
    }

    @Test
    void writesThePreviousEnvironmentsTagIntoTheTargetOverlayAndChangesNothingElse() {
        ActionResult result = promote("");

        assertThat(result).isInstanceOf(ActionResult.Done.class);
        assertThat(((ActionResult.Done) result).output()).containsEntry("revision", "0.2.0")
                .containsEntry("previousRevision", "0.1.0")
                .containsEntry("file", "apps/checkout/api/overlays/prod/kustomization.yaml");
        // only the service's scalar changes: comments, quoting elsewhere and the other image stay as they were
        assertThat(workspace.get("gitops/apps/checkout/api/overlays/prod/kustomization.yaml"))
                .isEqualTo(overlay("# prod: careful\n", "\"0.2.0\""));
        assertThat(workspace.get("gitops/apps/checkout/api/overlays/staging/kustomization.yaml"))
                .isEqualTo(overlay("# staging, café ☕\n", "\"0.2.0\""));
        assertThat(workspace).containsKey("gitops/apps/checkout/api/base/kustomization.yaml");
    }

    @Test
    void aGivenRevisionWinsOverThePreviousEnvironments() {
        assertThat(promote("1.0.0-rc.1")).isInstanceOf(ActionResult.Done.class);
        assertThat(workspace.get("gitops/apps/checkout/api/overlays/prod/kustomization.yaml")).contains("newTag: \"1.0.0-rc.1\"   # set by CI");
    }

    @Test
    void refusesWhatIsAlreadyDeployedAndWhatIsNotAnImageTag() {
        assertThat(promote("0.1.0")).isInstanceOfSatisfying(ActionResult.Failed.class,
                f -> assertThat(f.reason()).contains("already runs 0.1.0 in prod"));
        assertThat(promote("0.2.0\nkind: Secret")).isInstanceOfSatisfying(ActionResult.Failed.class,
                f -> assertThat(f.reason()).contains("is not a valid image tag"));
        assertThat(workspace).isEmpty();
    }

    @Test
    void aMissingOverlaySaysWhichAndChangesNothing() {
        Map<String, Object> input = new HashMap<>(Map.of("repository", "payments-gitops", "system", "checkout", "service", "api",
                "from", "staging", "to", "qa", "targetPath", "gitops", "revision", ""));
        ActionResult result = new PromotionAction(git).execute(new ActionContext("r1", "render", Instant.EPOCH, Instant.EPOCH,
                null, null, input, workspace, Clock.systemUTC()));
        assertThat(result).isInstanceOfSatisfying(ActionResult.Failed.class, f -> assertThat(f.reason())
                .contains("has no apps/checkout/api/overlays/qa/kustomization.yaml").contains("no qa overlay to promote to"));
        assertThat(workspace).isEmpty();
    }
}
