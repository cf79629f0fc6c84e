package dev.paver.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.conversation.MutableClock;
import dev.paver.core.action.ClaimStatus.Condition;
import dev.paver.core.action.ClaimStatus.Presence;
import dev.paver.core.action.ClaimStatus.Resource;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionRegistry;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.InMemoryRunStore;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RecordingNotifier;
import dev.paver.core.run.Run;
import dev.paver.core.run.RunEngine;
import dev.paver.core.run.RunRequest;
import dev.paver.core.run.RunState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The decisions of {@code crossplane:await-ready} on status snapshots, and its milestones once each, across a restart. */
class AwaitReadyActionTest {

    private static final String NS = "payments-dev-api";
    private static final String CLAIM = "api-postgres-main";
    private static final String XR = "api-postgres-main-7xq2k";
    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    // ---- snapshots, shaped as Crossplane writes them ----

    private static Condition synced() {
        return new Condition("Synced", "True", "ReconcileSuccess", "");
    }

    private static Condition reconcileError(String message) {
        return new Condition("Synced", "False", "ReconcileError", message);
    }

    private static Condition ready(String status, String reason, String message) {
        return new Condition("Ready", status, reason, message);
    }

    private static Resource claim(Condition... conditions) {
        return new Resource("platform.paver.dev/v1alpha1", "PostgreSQLInstance", NS, CLAIM, "", Presence.FOUND, "", List.of(conditions));
    }

    private static Resource composite(Condition... conditions) {
        return new Resource("platform.paver.dev/v1alpha1", "XPostgreSQLInstance", "", XR, "", Presence.FOUND, "", List.of(conditions));
    }

    private static Resource instance(Condition... conditions) {
        return new Resource("rds.aws.upbound.io/v1beta1", "Instance", "", XR + "-db", "db", Presence.FOUND, "", List.of(conditions));
    }

    private static Resource subnets(Condition... conditions) {
        return new Resource("rds.aws.upbound.io/v1beta1", "SubnetGroup", "", XR + "-subnets", "subnets", Presence.FOUND, "",
                List.of(conditions));
    }

    private static ClaimStatus creating(Resource db) {
        return new ClaimStatus(claim(synced(), ready("False", "Waiting", "Claim is waiting for composite resource to become Ready")),
                composite(synced(), ready("False", "Creating", "Unready resources: db")),
                List.of(db, subnets(synced(), ready("True", "Available", ""))), "api-postgres-main-conn", NS);
    }

    private static ClaimStatus available() {
        return new ClaimStatus(claim(synced(), ready("True", "Available", "")), composite(synced(), ready("True", "Available", "")),
                List.of(instance(synced(), ready("True", "Available", "")), subnets(synced(), ready("True", "Available", ""))),
                "api-postgres-main-conn", NS);
    }

    private static final String ERROR = "create failed: async create failed: failed to create the resource: operation error RDS: "
            + "CreateDBInstance, https response error StatusCode: 400, RequestID: 5f0e4c1a-8b2d-4e3f-9a7b-1c2d3e4f5a6b, "
            + "api error InvalidParameterCombination: RDS does not support creating a DB instance with the following "
            + "combination: DBInstanceClass=db.t2.micro, Engine=postgres, EngineVersion=16.3";

    // ---- a port and an engine stand-in ----

    private static final class FakePort implements ProvisioningPort {
        final AtomicReference<Object> next = new AtomicReference<>();
        final List<String> asked = new ArrayList<>();

        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public Optional<ClaimStatus> status(String apiVersion, String kind, String namespace, String name) {
            asked.add(apiVersion + " " + kind + " " + namespace + "/" + name);
            Object n = next.get();
            if (n instanceof RuntimeException e) {
                throw e;
            }
            return Optional.ofNullable((ClaimStatus) n);
        }
    }

    private final FakePort port = new FakePort();
    private final AwaitReadyAction action = new AwaitReadyAction(port);
    /** What the engine would have posted: each key once. */
    private final Map<String, String> posted = new LinkedHashMap<>();

    private static Map<String, Object> input(String... more) {
        Map<String, Object> input = new LinkedHashMap<>(Map.of("apiVersion", "platform.paver.dev/v1alpha1",
                "kind", "PostgreSQLInstance", "namespace", NS, "name", CLAIM));
        for (int i = 0; i < more.length; i += 2) {
            input.put(more[i], more[i + 1]);
        }
        return input;
    }

    private ActionResult check(Duration after, Map<String, Object> input) {
        return check(action, after, input);
    }

    private ActionResult check(AwaitReadyAction a, Duration after, Map<String, Object> input) {
        ActionContext ctx = new ActionContext("r1", "ready", T0, T0, null, null, input, new LinkedHashMap<>(),
                Clock.fixed(T0.plus(after), ZoneOffset.UTC));
        ActionResult result = a.execute(ctx);
        for (Milestone m : result.milestones()) {
            posted.putIfAbsent(m.key(), m.text());
        }
        return result;
    }

    private ActionResult check(Duration after) {
        return check(after, input());
    }

    // ---- the decisions ----

    @Test
    void creatingThenAReconcileErrorThenSlowThenReadyWithTheSecretsNameEachSaidOnce() {
        port.next.set(creating(instance(synced(), ready("False", "Creating", ""))));
        ActionResult first = check(Duration.ofMinutes(1));
        assertThat(first).isInstanceOfSatisfying(ActionResult.Waiting.class, w -> {
            assertThat(w.waitKey()).isEqualTo("crossplane:PostgreSQLInstance/" + NS + "/" + CLAIM);
            assertThat(w.detail()).isEqualTo("waiting for PostgreSQLInstance api-postgres-main: Ready False (Creating)");
            assertThat(w.wakeAt()).as("the slow timer, durable").isEqualTo(T0.plus(AwaitReadyAction.SLOW));
        });
        assertThat(posted).containsOnlyKeys("creating");
        assertThat(posted.get("creating")).isEqualTo("PostgreSQLInstance api-postgres-main in payments-dev-api exists; "
                + "Crossplane is creating it (Ready False, Creating: Unready resources: db).");

        port.next.set(creating(instance(reconcileError(ERROR), ready("False", "Creating", ""))));
        check(Duration.ofMinutes(3));
        assertThat(posted).hasSize(2);
        String errorKey = posted.keySet().stream().filter(k -> k.startsWith("error:")).findFirst().orElseThrow();
        assertThat(errorKey).startsWith("error:Instance/" + XR + "-db:");
        assertThat(posted.get(errorKey)).isEqualTo("Crossplane cannot reconcile Instance " + XR + "-db (composed as db): "
                + "Synced False, ReconcileError: " + ERROR + "\nCrossplane retries; Paver keeps waiting.");

        // Crossplane retries: the same error with a fresh request id is not said again
        port.next.set(creating(instance(reconcileError(ERROR.replace("5f0e4c1a-8b2d-4e3f-9a7b-1c2d3e4f5a6b",
                "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d")), ready("False", "Creating", ""))));
        ActionResult retried = check(Duration.ofMinutes(5));
        assertThat(retried).isInstanceOf(ActionResult.Waiting.class);
        assertThat(((ActionResult.Waiting) retried).detail()).endsWith(", ReconcileError on Instance " + XR + "-db");
        assertThat(posted).hasSize(2);

        // another error is
        port.next.set(creating(instance(reconcileError("cannot resolve references: mg.Spec.ForProvider.DBSubnetGroupName: "
                + "referenced field was empty"), ready("False", "Creating", ""))));
        check(Duration.ofMinutes(8));
        assertThat(posted).hasSize(3);

        // slow: the blocking composed resource, with its conditions
        port.next.set(creating(instance(synced(), ready("False", "Creating", "Creating DB instance"),
                new Condition("LastAsyncOperation", "True", "Success", ""))));
        ActionResult slow = check(Duration.ofMinutes(15).plusSeconds(2));
        assertThat(((ActionResult.Waiting) slow).wakeAt()).as("no timer once slow: polls go on").isNull();
        assertThat(posted.get("slow")).isEqualTo("PostgreSQLInstance api-postgres-main in payments-dev-api is still not Ready "
                + "after 15m 02s (Ready False, Creating: Unready resources: db). Waiting on:\n"
                + "• Instance " + XR + "-db (rds.aws.upbound.io/v1beta1, db): Ready False (Creating: Creating DB instance); "
                + "Synced True (ReconcileSuccess); LastAsyncOperation True (Success)\n"
                + "`kubectl describe instance.rds.aws.upbound.io " + XR + "-db` shows the provider's events.\n"
                + "Paver keeps waiting.");
        check(Duration.ofMinutes(20));
        assertThat(posted).hasSize(4);

        port.next.set(available());
        ActionResult done = check(Duration.ofMinutes(21).plusSeconds(30));
        assertThat(done).isInstanceOfSatisfying(ActionResult.Done.class, d -> {
            assertThat(d.output()).containsExactlyInAnyOrderEntriesOf(Map.of("tracking", "on", "ready", "true",
                    "connectionSecret", "api-postgres-main-conn", "connectionSecretNamespace", NS));
            assertThat(d.detail()).isEqualTo("Ready, connection secret api-postgres-main-conn");
        });
        assertThat(posted.get("ready")).isEqualTo("PostgreSQLInstance api-postgres-main in payments-dev-api is Ready (Available), "
                + "21m 30s after the request. Its connection details are in Secret api-postgres-main-conn in payments-dev-api (Paver reports "
                + "only the name; it never reads the Secret).");
        assertThat(posted.keySet()).filteredOn(k -> !k.startsWith("error:")).containsExactly("creating", "slow", "ready");
    }

    @Test
    void aV2XrWithAComposedObjectWithoutConditionsNamedUnreadyAndASecretLeftOut() {
        Resource xr = new Resource("xr.platform.paver.dev/v1alpha1", "PostgreSQLInstance", NS, CLAIM, "", Presence.FOUND, "",
                List.of(synced(), ready("False", "Creating", "Unready resources: config, db")));
        Resource config = new Resource("v1", "ConfigMap", NS, CLAIM + "-config", "config", Presence.FOUND, "", List.of());
        Resource db = new Resource("rds.aws.m.upbound.io/v1beta1", "Instance", NS, CLAIM + "-db", "db", Presence.MISSING, "", List.of());
        Resource secret = new Resource("v1", "Secret", NS, CLAIM + "-conn", "conn", Presence.NOT_READ,
                "a Secret: Paver does not read Secrets", List.of());
        Resource ready = new Resource("v1", "ServiceAccount", NS, CLAIM + "-sa", "sa", Presence.FOUND, "", List.of());
        port.next.set(new ClaimStatus(xr, null, List.of(config, db, secret, ready), "", ""));

        check(Duration.ofMinutes(16), input("apiVersion", "xr.platform.paver.dev/v1alpha1"));

        assertThat(posted.get("creating")).isEqualTo("PostgreSQLInstance api-postgres-main in payments-dev-api exists; "
                + "Crossplane is creating it (Ready False, Creating: Unready resources: config, db).");
        assertThat(posted.get("slow")).contains("Waiting on 2 composed resources:\n"
                        + "• ConfigMap api-postgres-main-config (v1, config): no conditions yet\n"
                        + "• Instance api-postgres-main-db (rds.aws.m.upbound.io/v1beta1, db): not created yet\n"
                        + "`kubectl describe configmap api-postgres-main-config -n payments-dev-api`")
                .doesNotContain("Secret", "ServiceAccount");
    }

    @Test
    void aClaimNotThereYetWaitsAndSaysSoOnceWhenSlow() {
        port.next.set(null);
        ActionResult early = check(Duration.ofMinutes(2), input("slowAfter", "10m"));
        assertThat(early).isInstanceOfSatisfying(ActionResult.Waiting.class, w -> {
            assertThat(w.detail()).isEqualTo("waiting for PostgreSQLInstance api-postgres-main to appear");
            assertThat(w.wakeAt()).isEqualTo(T0.plus(Duration.ofMinutes(10)));
        });
        assertThat(posted).isEmpty();

        check(Duration.ofMinutes(10), input("slowAfter", "10m"));
        assertThat(posted.get("slow")).startsWith("PostgreSQLInstance api-postgres-main in payments-dev-api does not exist "
                + "10m 00s after this step began. Check that Argo CD applied it");
    }

    @Test
    void creatingIsSaidOnceCrossplaneHasSaidWhy() {
        // just applied: no conditions yet; then the claim waits before its composite says anything
        port.next.set(new ClaimStatus(claim(), null, List.of(), "", ""));
        check(Duration.ofSeconds(5));
        port.next.set(new ClaimStatus(claim(synced(), ready("False", "Waiting", "")), composite(), List.of(), "", ""));
        ActionResult waiting = check(Duration.ofSeconds(10));
        assertThat(posted).isEmpty();
        assertThat(((ActionResult.Waiting) waiting).detail()).isEqualTo("waiting for PostgreSQLInstance api-postgres-main: Ready False (Waiting)");

        port.next.set(creating(instance(synced(), ready("False", "Creating", ""))));
        check(Duration.ofSeconds(15));
        assertThat(posted).containsOnlyKeys("creating");
        assertThat(posted.get("creating")).endsWith("(Ready False, Creating: Unready resources: db).");

        // a v2 XR that is not Ready for another reason says so
        posted.clear();
        port.next.set(new ClaimStatus(claim(synced(), ready("False", "Unavailable", "instance is rebooting")), null, List.of(), "", ""));
        check(Duration.ofSeconds(20));
        assertThat(posted.get("creating")).isEqualTo("PostgreSQLInstance api-postgres-main in payments-dev-api exists but is "
                + "not Ready (Ready False, Unavailable: instance is rebooting).");
    }

    @Test
    void anUnboundClaimSaysNothingIsComposedYetWhenSlow() {
        port.next.set(new ClaimStatus(claim(synced(), ready("False", "Waiting", "")), null, List.of(), "", ""));
        check(Duration.ofMinutes(15));
        assertThat(posted.get("slow")).contains("Crossplane has composed nothing for it yet: check that a Composition matches "
                + "it (its compositionRef or compositionSelector); `kubectl describe postgresqlinstance.platform.paver.dev "
                + "api-postgres-main -n payments-dev-api` shows Crossplane's events.");
    }

    @Test
    void aReconcileErrorFailsTheStepWhenConfiguredSo() {
        port.next.set(creating(instance(reconcileError(ERROR), ready("False", "Creating", ""))));

        ActionResult byInput = check(Duration.ofMinutes(1), input("failOnError", "true"));
        assertThat(byInput).isInstanceOfSatisfying(ActionResult.Failed.class, f -> {
            assertThat(f.reason()).startsWith("Crossplane cannot reconcile Instance " + XR + "-db: create failed:")
                    .endsWith("Fix the cause (the claim's parameters in the GitOps repository, the composition or the "
                            + "provider's credentials), then run the golden path again.");
            assertThat(f.milestones()).extracting(Milestone::key).anyMatch(k -> k.startsWith("error:"));
        });
        assertThat(new AwaitReadyAction(port, Duration.ofMinutes(15), true).execute(new ActionContext("r1", "ready", T0, T0,
                null, null, input(), Map.of(), Clock.fixed(T0, ZoneOffset.UTC)))).as("by configuration")
                .isInstanceOf(ActionResult.Failed.class);
        assertThat(new AwaitReadyAction(port, Duration.ofMinutes(15), true).execute(new ActionContext("r1", "ready", T0, T0,
                null, null, input("failOnError", "false"), Map.of(), Clock.fixed(T0, ZoneOffset.UTC))))
                .as("the step's input wins").isInstanceOf(ActionResult.Waiting.class);
    }

    @Test
    void refusalsAndDeletionFailTheStepWithWhatToDoAndBrokenInfrastructureIsThrown() {
        port.next.set(new ProvisioningPort.Refused("the API server does not serve Queue in platform.paver.dev/v1alpha1"));
        assertThat(check(Duration.ZERO)).isInstanceOfSatisfying(ActionResult.Failed.class,
                f -> assertThat(f.reason()).isEqualTo("the API server does not serve Queue in platform.paver.dev/v1alpha1"));

        port.next.set(new ClaimStatus(new Resource("platform.paver.dev/v1alpha1", "PostgreSQLInstance", NS, CLAIM, "",
                Presence.DELETING, "", List.of(ready("True", "Available", ""))), null, List.of(), "", ""));
        assertThat(check(Duration.ZERO)).isInstanceOfSatisfying(ActionResult.Failed.class, f -> assertThat(f.reason())
                .startsWith("PostgreSQLInstance api-postgres-main in payments-dev-api is being deleted")
                .contains("restore its file in the GitOps repository"));

        port.next.set(new IllegalStateException("could not reach the API server to read PostgreSQLInstance: connection refused"));
        assertThatThrownBy(() -> check(Duration.ZERO)).as("the engine tries again for 30 minutes")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void withoutAClusterTheStepEndsAtOnceAndSaysTrackingIsOff() {
        AwaitReadyAction off = new AwaitReadyAction(ProvisioningPort.disabled());
        ActionResult result = check(off, Duration.ZERO, input());
        assertThat(result).isInstanceOfSatisfying(ActionResult.Done.class, d -> assertThat(d.output())
                .containsExactlyInAnyOrderEntriesOf(Map.of("tracking", "off", "ready", "unknown", "connectionSecret", "",
                        "connectionSecretNamespace", "")));
        assertThat(posted.get("tracking-off")).isEqualTo("Provisioning tracking is off: no cluster is configured, so Paver "
                + "cannot tell when PostgreSQLInstance api-postgres-main in payments-dev-api is Ready. Check it with "
                + "`kubectl get postgresqlinstance.platform.paver.dev api-postgres-main -n payments-dev-api`.");
    }

    @Test
    void badInputsAreRefusedNamingTheStep() {
        port.next.set(available());
        assertThatThrownBy(() -> check(Duration.ZERO, input("slowAfter", "soon")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("step ready: input.slowAfter 'soon' is not a duration; write it like 15m, 1h or 1h30m");
        assertThatThrownBy(() -> check(Duration.ZERO, input("failOnError", "maybe")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("input.failOnError must be true or false");
        Map<String, Object> noName = input();
        noName.remove("name");
        assertThatThrownBy(() -> check(Duration.ZERO, noName)).hasMessage("step ready: input.name is required");
        assertThatThrownBy(() -> new AwaitReadyAction(port, Duration.ZERO, false)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theFingerprintIgnoresIdsAndNumbersOnly() {
        assertThat(AwaitReadyAction.fingerprint("RequestID: 5f0e4c1a-8b2d-4e3f-9a7b-1c2d3e4f5a6b, StatusCode: 400"))
                .isEqualTo(AwaitReadyAction.fingerprint("RequestID: 0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d, StatusCode: 503"));
        assertThat(AwaitReadyAction.fingerprint("InvalidParameterCombination")).isNotEqualTo(
                AwaitReadyAction.fingerprint("DBSubnetGroupNotFoundFault"));
    }

    @Test
    void unreadyNamesReadCrossplanesList() {
        assertThat(ClaimStatus.unreadyNames("Unready resources: a, b, and c")).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(ClaimStatus.unreadyNames("Unready resources: a, b, c, and 2 more")).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(ClaimStatus.unreadyNames("Unready resources: db")).containsExactly("db");
        assertThat(ClaimStatus.unreadyNames("Claim is waiting for composite resource to become Ready")).isEmpty();
    }

    // ---- through the engine: durable, once per run, across a restart ----

    @TempDir
    Path tmp;

    @Test
    void aRestartResumesInTheSameThreadAndPostsNothingTwice() throws Exception {
        Path dir = tmp.resolve("templates").resolve("await-database");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("template.yaml"), """
                apiVersion: scaffolder.backstage.io/v1beta3
                kind: Template
                metadata:
                  name: await-database
                  title: Wait for a database
                spec:
                  steps:
                    - id: ready
                      name: Wait for the database
                      action: crossplane:await-ready
                      input:
                        apiVersion: platform.paver.dev/v1alpha1
                        kind: PostgreSQLInstance
                        namespace: payments-dev-api
                        name: api-postgres-main
                        slowAfter: 10m
                  output:
                    text: "Connect with Secret ${{ steps.ready.output.connectionSecret }}"
                """);
        GoldenPathCatalog catalog = GoldenPathCatalog.load(tmp.resolve("templates"));
        InMemoryRunStore store = new InMemoryRunStore();
        MutableClock clock = new MutableClock();
        RecordingNotifier before = new RecordingNotifier();
        RunEngine engine = new RunEngine(catalog, new ActionRegistry(List.of(new AwaitReadyAction(port))), store, before,
                new TemplateRenderer(), clock, Runnable::run);

        port.next.set(creating(instance(reconcileError(ERROR), ready("False", "Creating", ""))));
        Run run = engine.start(new RunRequest("await-database", Map.of(), Map.of(), "U0DANA", RunRequest.Origin.TYPED, "C0PAYMENTS"));
        engine.resumeAll(); // a poll: nothing new
        Run waiting = store.find(run.id()).orElseThrow();
        assertThat(waiting.state()).isEqualTo(RunState.WAITING);
        assertThat(waiting.wakeAt()).isNotNull();
        assertThat(before.replyTexts()).hasSize(2);
        assertThat(before.replyTexts().get(0)).contains("exists; Crossplane is creating it");
        assertThat(before.replyTexts().get(1)).contains("InvalidParameterCombination");

        // restart: a new engine on the same store; time passes beyond slowAfter
        RecordingNotifier after = new RecordingNotifier();
        RunEngine restarted = new RunEngine(catalog, new ActionRegistry(List.of(new AwaitReadyAction(port))), store, after,
                new TemplateRenderer(), clock, Runnable::run);
        restarted.resumeAll();
        assertThat(after.replies).as("nothing said twice after the restart").isEmpty();
        clock.advance(Duration.ofMinutes(11));
        restarted.wakeDue();
        restarted.resumeAll();
        assertThat(after.replyTexts()).singleElement().satisfies(t -> assertThat(t).contains("is still not Ready after 11m")
                .contains("• Instance " + XR + "-db"));

        port.next.set(available());
        restarted.resumeAll();
        Run done = store.find(run.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.thread()).isEqualTo(waiting.thread());
        assertThat(done.step("ready").output()).containsEntry("connectionSecret", "api-postgres-main-conn");
        assertThat(done.outcome()).isEqualTo("Connect with Secret api-postgres-main-conn");
        assertThat(after.replyTexts()).hasSize(2);
        assertThat(after.replyTexts().get(1)).contains("is Ready (Available)").contains("Secret api-postgres-main-conn in payments-dev-api");
        assertThat(before.cards).as("one card, edited").allSatisfy(c -> assertThat(c.title()).isEqualTo(before.cards.get(0).title()));
        assertThat(port.asked).allMatch(a -> a.equals("platform.paver.dev/v1alpha1 PostgreSQLInstance payments-dev-api/api-postgres-main"));
    }
}
