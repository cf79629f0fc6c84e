package dev.paver.backstage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.goldenpath.StepSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a Backstage Template's run is in Paver, from its annotations. */
class BackstageTemplateStepsTest {

    private static List<StepSpec> steps(Map<String, String> annotations) {
        return BackstageTemplates.steps(new BackstageTemplates.TemplateRef("default", "create-service", "Create a service",
                "", annotations));
    }

    @Test
    void aPlainTemplateIsItsTaskThenItsPullRequestsFollowedToTheirMerge() {
        List<StepSpec> steps = steps(Map.of());

        assertThat(steps).extracting(StepSpec::action).containsExactly("backstage:task", "paver:await-merge");
        assertThat(steps.get(0).input()).containsEntry("templateRef", "template:default/create-service")
                .containsEntry("values", "${{ parameters }}");
        assertThat(steps.get(1).each()).isEqualTo("${{ steps.task.output.pullRequests }}");
    }

    @Test
    void fourEyesPutsPaversApprovalBeforeTheTaskAndAnnotationsAddArgoCdAndCrossplane() {
        List<StepSpec> steps = steps(Map.of(BackstageTemplates.FOUR_EYES, "true",
                BackstageTemplates.ARGOCD_APPLICATION, "payments-dev-${{ parameters.name }}",
                BackstageTemplates.ENVIRONMENT, "dev",
                BackstageTemplates.CROSSPLANE_CLAIM,
                "platform.paver.dev/v1alpha1/PostgreSQLInstance/payments-dev-api/api-postgres-${{ parameters.name }}"));

        assertThat(steps).extracting(StepSpec::action).containsExactly("paver:approval", "backstage:task",
                "paver:await-merge", "argocd:await-sync", "crossplane:await-ready");
        assertThat(steps.get(0).input()).containsEntry("domain", "${{ platform.domain }}");
        assertThat(steps.get(2).input()).containsEntry("environment", "dev");
        assertThat(steps.get(3).input()).containsEntry("application", "payments-dev-${{ parameters.name }}");
        assertThat(steps.get(4).input()).containsEntry("apiVersion", "platform.paver.dev/v1alpha1")
                .containsEntry("kind", "PostgreSQLInstance").containsEntry("namespace", "payments-dev-api")
                .containsEntry("name", "api-postgres-${{ parameters.name }}");
    }

    @Test
    void aClaimAnnotationThatNamesNoClaimIsRefusedWithTheFormToWrite() {
        assertThatThrownBy(() -> steps(Map.of(BackstageTemplates.CROSSPLANE_CLAIM, "api-postgres-main")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("template:default/create-service")
                .hasMessageContaining("<apiVersion>/<kind>/<namespace>/<name>");
    }
}
