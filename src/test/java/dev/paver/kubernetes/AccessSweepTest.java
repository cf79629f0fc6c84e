package dev.paver.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.access.AccessPort;
import dev.paver.core.access.Grant;
import dev.paver.core.action.AccessSweep;
import dev.paver.core.audit.AuditEntry;
import dev.paver.core.convention.Conventions;
import dev.paver.store.JdbcAuditLog;
import dev.paver.store.JdbcGrantStore;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * The sweep against fabric8's mock API server in CRUD mode, with the RoleBindings that {@link RoleBindings} writes, and
 * the real grant store and audit log on a fresh database: every assertion reads the server or the database back.
 */
@EnableKubernetesMockClient(crud = true)
class AccessSweepTest {

    static KubernetesClient client;

    private static final String NS = "payments-prod-api";
    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private JdbcGrantStore grants;
    private JdbcAuditLog audit;
    private RoleBindings access;

    @BeforeEach
    void freshDatabaseAndCluster() {
        DriverManagerDataSource db = new DriverManagerDataSource("jdbc:h2:mem:sweep-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(db).load().migrate();
        grants = new JdbcGrantStore(new JdbcTemplate(db));
        audit = new JdbcAuditLog(new JdbcTemplate(db));
        access = new RoleBindings(client);
        client.rbac().roleBindings().inAnyNamespace().delete();
        for (String ns : List.of(NS, "checkout-prod-web")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .createOr(existing -> existing.update());
        }
    }

    private AccessSweep sweep(Instant at) {
        return new AccessSweep(access, grants, audit, Clock.fixed(at, ZoneOffset.UTC), Conventions.defaults());
    }

    /** An elevation as kubernetes:grant-access makes it: the grant stored, then its RoleBinding written. */
    private Grant granted(String runId, String namespace, String clusterRole, Instant expiresAt) {
        Grant grant = grants.insertIfAbsent(new Grant(runId, namespace, "operator", clusterRole, "U0DANA", "dana@acme.example",
                "U0OMAR", "paver-" + runId, expiresAt.minus(Duration.ofHours(2)), expiresAt, Grant.State.ACTIVE, null));
        access.bind(namespace, grant.binding(), clusterRole, grant.identity(),
                Map.of("paver.dev/run", runId, "paver.dev/expires-at", expiresAt.toString()));
        return grant;
    }

    private List<String> bindingsIn(String namespace) {
        return client.rbac().roleBindings().inNamespace(namespace).list().getItems().stream()
                .map(b -> b.getMetadata().getName()).sorted().toList();
    }

    private List<AuditEntry> auditLog() {
        List<AuditEntry> all = new ArrayList<>();
        audit.export(Instant.EPOCH, all::add);
        return all;
    }

    @Test
    void bindingsOfActiveGrantsAreKept() {
        granted("r-1", NS, "edit", NOW.plus(Duration.ofHours(1)));
        granted("r-2", "checkout-prod-web", "view", NOW.plus(Duration.ofMinutes(1)));

        AccessSweep.Outcome outcome = sweep(NOW).sweep();

        assertThat(outcome.kept()).isEqualTo(2);
        assertThat(outcome.deleted()).isEmpty();
        assertThat(bindingsIn(NS)).containsExactly("paver-r-1");
        assertThat(bindingsIn("checkout-prod-web")).containsExactly("paver-r-2");
        assertThat(auditLog()).isEmpty();
    }

    @Test
    void aBindingWhoseGrantExpiredIsDeletedAndTheGrantRevokedAndAudited() {
        granted("r-3", NS, "edit", NOW.minus(Duration.ofMinutes(3))); // the revocation at expiry kept failing
        granted("r-4", NS, "view", NOW.plus(Duration.ofHours(1)));

        AccessSweep.Outcome outcome = sweep(NOW).sweep();

        assertThat(bindingsIn(NS)).containsExactly("paver-r-4");
        assertThat(outcome.kept()).isEqualTo(1);
        assertThat(outcome.deleted()).singleElement().asString()
                .contains("RoleBinding paver-r-3 in payments-prod-api (ClusterRole edit for User/dana@acme.example)")
                .contains("its grant (run r-3) ended at");
        Grant grant = grants.find("r-3").orElseThrow();
        assertThat(grant.state()).isEqualTo(Grant.State.REVOKED);
        assertThat(grant.revokedAt()).isEqualTo(NOW);
        assertThat(auditLog()).singleElement().satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo("paver");
            assertThat(entry.action()).isEqualTo("sweep");
            assertThat(entry.subject()).isEqualTo(NS);
            assertThat(entry.runId()).isEqualTo("r-3");
            assertThat(entry.origin()).isEqualTo("PAVER");
            assertThat(entry.detail()).contains("paver-r-3", "ended at");
        });
    }

    @Test
    void bindingsUnknownToTheDatabaseAreDeleted() {
        // a database restored from before these grants: the cluster still has the bindings, labelled as Paver's
        granted("r-5", NS, "edit", NOW.plus(Duration.ofHours(1)));
        access.bind(NS, "paver-r-6", "view", "eve@acme.example", Map.of());
        access.bind("checkout-prod-web", "hand-made", "edit", "mallory@acme.example", Map.of());
        grants = new JdbcGrantStore(new JdbcTemplate(emptyDatabase()));

        AccessSweep.Outcome outcome = sweep(NOW).sweep();

        assertThat(bindingsIn(NS)).isEmpty();
        assertThat(bindingsIn("checkout-prod-web")).isEmpty();
        assertThat(outcome.deleted()).hasSize(3).allSatisfy(d -> assertThat(d).contains("no grant of Paver's database has this binding"));
        assertThat(auditLog()).extracting(AuditEntry::action).containsExactly("sweep", "sweep", "sweep");
        assertThat(auditLog()).extracting(AuditEntry::runId).containsOnly("");
    }

    @Test
    void aBindingOfARevokedGrantIsDeleted() {
        granted("r-7", NS, "edit", NOW.plus(Duration.ofHours(1)));
        grants.revoked("r-7", NOW.minus(Duration.ofMinutes(1)));

        AccessSweep.Outcome outcome = sweep(NOW).sweep();

        assertThat(bindingsIn(NS)).isEmpty();
        assertThat(outcome.deleted()).singleElement().asString().contains("its grant (run r-7) was revoked at");
    }

    @Test
    void aBindingOfAnActiveGrantThatNoLongerBindsWhatWasApprovedIsDeleted() {
        granted("r-8", NS, "view", NOW.plus(Duration.ofHours(1)));
        granted("r-9", NS, "view", NOW.plus(Duration.ofHours(1)));
        // someone rebinds Paver's binding to edit, or adds a subject
        access.bind(NS, "paver-r-8", "edit", "dana@acme.example", Map.of("paver.dev/run", "r-8"));
        RoleBinding widened = new RoleBindingBuilder(client.rbac().roleBindings().inNamespace(NS).withName("paver-r-9").get())
                .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName("system:authenticated").endSubject()
                .build();
        client.rbac().roleBindings().inNamespace(NS).resource(widened).update();

        AccessSweep.Outcome outcome = sweep(NOW).sweep();

        assertThat(bindingsIn(NS)).isEmpty();
        assertThat(outcome.deleted()).hasSize(2).allSatisfy(d -> assertThat(d)
                .contains("it no longer binds what its grant (run r-").contains("approved: ClusterRole view for User/dana@acme.example"));
    }

    @Test
    void bindingsNotLabelledAsPaversAreNeverTouched() {
        client.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder()
                .withNewMetadata().withName("team-oncall").withNamespace(NS).withLabels(Map.of("app.kubernetes.io/managed-by", "argocd"))
                .endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("view").endRoleRef()
                .addNewSubject().withKind("Group").withApiGroup("rbac.authorization.k8s.io").withName("team-payments").endSubject()
                .build()).create();

        AccessSweep.Outcome outcome = sweep(NOW).sweep();

        assertThat(bindingsIn(NS)).containsExactly("team-oncall");
        assertThat(outcome.kept()).isZero();
        assertThat(outcome.deleted()).isEmpty();
    }

    @Test
    void bindingsLabelledAsPaversOutsideProductionNamespacesAreLeftAndReported() {
        for (String ns : List.of("kube-system", "payments-dev-api")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
                    .createOr(existing -> existing.update());
            access.bind(ns, "paver-x", "edit", "mallory@acme.example", Map.of());
        }

        AccessSweep.Outcome outcome = sweep(NOW).sweep();

        assertThat(bindingsIn("kube-system")).containsExactly("paver-x");
        assertThat(bindingsIn("payments-dev-api")).containsExactly("paver-x");
        assertThat(outcome.deleted()).isEmpty();
        assertThat(outcome.ignored()).containsExactlyInAnyOrder(
                "RoleBinding paver-x in kube-system (ClusterRole edit for User/mallory@acme.example)",
                "RoleBinding paver-x in payments-dev-api (ClusterRole edit for User/mallory@acme.example)");
        assertThat(auditLog()).isEmpty();
    }

    @Test
    void aSecondSweepFindsNothingMoreAndAuditsNothingTwice() {
        granted("r-10", NS, "edit", NOW.minus(Duration.ofMinutes(1)));
        sweep(NOW).sweep();

        AccessSweep.Outcome again = sweep(NOW.plus(Duration.ofMinutes(5))).sweep();

        assertThat(again.deleted()).isEmpty();
        assertThat(again.kept()).isZero();
        assertThat(auditLog()).hasSize(1);
    }

    @Test
    void withoutAClusterTheSweepDoesNothing() {
        AccessSweep.Outcome outcome = new AccessSweep(AccessPort.disabled(), grants, audit, Clock.fixed(NOW, ZoneOffset.UTC), Conventions.defaults()).sweep();

        assertThat(outcome).isEqualTo(new AccessSweep.Outcome(0, List.of(), List.of(), List.of()));
    }

    private static DriverManagerDataSource emptyDatabase() {
        DriverManagerDataSource db = new DriverManagerDataSource("jdbc:h2:mem:sweep-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(db).load().migrate();
        return db;
    }
}
