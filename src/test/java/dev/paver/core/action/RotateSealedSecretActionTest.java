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

/** {@code paver:sealed-secret:rotate} against a real (local) GitOps repository holding a SealedSecret of two keys. */
class RotateSealedSecretActionTest {

    private static final String PATH = "secrets/dev/api/stripe-key.yaml";

    @TempDir
    Path tmp;

    private JGitRepositories git;
    private final Map<String, String> workspace = new LinkedHashMap<>();

    private static String secret(String stripeKey) {
        return "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: api-stripe-key\n"
                + "  namespace: payments-dev-api\nspec:\n  encryptedData:\n    STRIPE_KEY: " + stripeKey + "\n"
                + "    WEBHOOK_SECRET: AgOldWebhookValue==   # kept\n  template:\n    type: Opaque\n";
    }

    @BeforeEach
    void repository() {
        git = new JGitRepositories(tmp.resolve("repos").toString(), tmp.resolve("work"), "main", null);
        git.seed("payments-gitops", Map.of(PATH, secret("AgOldStripeValue=="),
                "secrets/dev/api/plain.yaml", "apiVersion: v1\nkind: Secret\n"), "seed");
    }

    private ActionResult rotate(String name, String key, String scope) {
        Map<String, Object> input = new HashMap<>(Map.of("repository", "payments-gitops",
                "path", "secrets/dev/api/" + name + ".yaml", "namespace", "payments-dev-api", "name", "api-" + name,
                "key", key, "scope", scope, "encryptedData", Map.of(key, "AgNewSealedValue=="), "targetPath", "gitops"));
        return new RotateSealedSecretAction(git).execute(new ActionContext("r1", "rotate", Instant.EPOCH, Instant.EPOCH,
                null, null, input, workspace, Clock.systemUTC()));
    }

    @Test
    void replacesOnlyThatKeysSealedValue() {
        assertThat(rotate("stripe-key", "STRIPE_KEY", "strict")).isInstanceOfSatisfying(ActionResult.Done.class,
                d -> assertThat(d.detail()).doesNotContain("AgOld", "AgNew"));

        assertThat(workspace).containsOnlyKeys("gitops/" + PATH);
        assertThat(workspace.get("gitops/" + PATH)).isEqualTo(secret("AgNewSealedValue=="));
    }

    @Test
    void refusesWhatCannotBeRotatedNamingItButNoValue() {
        assertThat(rotate("paypal-key", "PAYPAL_KEY", "strict")).isInstanceOfSatisfying(ActionResult.Failed.class,
                f -> assertThat(f.reason()).contains("has no secrets/dev/api/paypal-key.yaml", "/platform create-secret",
                        "Nothing was changed"));
        assertThat(rotate("stripe-key", "OTHER", "strict")).isInstanceOfSatisfying(ActionResult.Failed.class,
                f -> assertThat(f.reason()).contains("has no key OTHER (its keys: STRIPE_KEY, WEBHOOK_SECRET)"));
        assertThat(rotate("stripe-key", "STRIPE_KEY", "cluster-wide")).isInstanceOfSatisfying(ActionResult.Failed.class,
                f -> assertThat(f.reason()).contains("sealed in the scope strict, not cluster-wide"));
        assertThat(rotate("plain", "STRIPE_KEY", "strict")).isInstanceOfSatisfying(ActionResult.Failed.class,
                f -> assertThat(f.reason()).contains("is not a SealedSecret"));
        assertThat(workspace).isEmpty();
    }
}
