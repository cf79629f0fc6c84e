package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.Violation;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The request checks of promote and elevate: known services, promotion targets, prod keys, roles and durations. */
class PromoteAndElevateCheckTest {

    private final RequestCheck check = new RequestCheck(Conventions.defaults());
    private final GoldenPathCatalog templates = GoldenPathFixtures.templates();
    private final PlatformCatalog catalog = new PlatformCatalog(GoldenPathFixtures.paymentsCatalog().systems(),
            GoldenPathFixtures.paymentsCatalog().groups(),
            Map.of("api", new PlatformCatalog.ServiceEntry("api", "checkout", "team-payments", "payments")));

    private RequestCheck.Outcome promote(Map<String, String> given) {
        return check.check(templates.find("promote").orElseThrow(), given, catalog, false);
    }

    private RequestCheck.Outcome elevate(Map<String, String> given) {
        return check.check(templates.find("elevate").orElseThrow(), given, catalog, false);
    }

    private static Violation only(RequestCheck.Outcome outcome) {
        assertThat(outcome).isInstanceOf(RequestCheck.Rejected.class);
        List<Violation> violations = ((RequestCheck.Rejected) outcome).violations();
        assertThat(violations).hasSize(1);
        return violations.get(0);
    }

    @Test
    void promotionToProdNeedsApprovalAndComesFromStaging() {
        var accepted = (RequestCheck.Accepted) promote(Map.of("service", "api", "to", "prod"));
        assertThat(accepted.platform()).containsEntry("domain", "payments").containsEntry("system", "checkout")
                .containsEntry("gitopsRepository", "payments-gitops").containsEntry("fromEnvironment", "staging")
                .containsEntry("approvalRequired", true);
    }

    @Test
    void promotionToStagingSyncsAutomaticallyAndNeedsNoApproval() {
        var accepted = (RequestCheck.Accepted) promote(Map.of("service", "api", "to", "staging"));
        assertThat(accepted.platform()).containsEntry("fromEnvironment", "dev").containsEntry("approvalRequired", false);
    }

    @Test
    void promotionRefusesTheFirstEnvironmentUnknownOnesAndUnknownServices() {
        assertThat(only(promote(Map.of("service", "api", "to", "dev"))).rule()).isEqualTo("promotion-order");
        assertThat(only(promote(Map.of("service", "api", "to", "qa"))).rule()).isEqualTo("environment");
        assertThat(only(promote(Map.of("service", "cart", "to", "prod"))).message())
                .contains("'cart' is not a known service (known: api)");
        assertThat(only(promote(Map.of("service", "api", "to", "prod", "revision", "v1 --force"))).subject())
                .isEqualTo("revision");
    }

    @Test
    void elevationDerivesTheNamespaceClusterRoleAndDuration() {
        var accepted = (RequestCheck.Accepted) elevate(Map.of("key", "payments-prod-api", "role", "operator", "for", "90m",
                "reason", "INC-1"));
        assertThat(accepted.platform()).containsEntry("namespace", "payments-prod-api").containsEntry("domain", "payments")
                .containsEntry("clusterRole", "edit").containsEntry("duration", "1h30m");
    }

    @Test
    void elevationIsForProdKeysOfKnownServicesOnly() {
        assertThat(only(elevate(Map.of("key", "payments-dev-api", "role", "viewer", "for", "1h", "reason", "x"))).message())
                .contains("elevation is for prod only").contains("payments-prod-api");
        assertThat(only(elevate(Map.of("key", "payments-prod-cart", "role", "viewer", "for", "1h", "reason", "x"))).rule())
                .isEqualTo("unknown-service");
        assertThat(only(elevate(Map.of("key", "shop-prod-api", "role", "viewer", "for", "1h", "reason", "x"))).rule())
                .isEqualTo("unknown-service");
        assertThat(only(elevate(Map.of("key", "payments-api", "role", "viewer", "for", "1h", "reason", "x"))).rule())
                .isEqualTo("semantic-key");
        assertThat(only(elevate(Map.of("key", "../prod/x", "role", "viewer", "for", "1h", "reason", "x"))).rule())
                .isEqualTo("semantic-key");
    }

    @Test
    void elevationDurationsAreBoundedByTheRole() {
        assertThat(only(elevate(Map.of("key", "payments-prod-api", "role", "operator", "for", "5h", "reason", "x"))).message())
                .contains("longer than the 4h allowed for operator");
        assertThat(elevate(Map.of("key", "payments-prod-api", "role", "viewer", "for", "5h", "reason", "x")))
                .isInstanceOf(RequestCheck.Accepted.class);
        assertThat(only(elevate(Map.of("key", "payments-prod-api", "role", "viewer", "for", "2m", "reason", "x"))).message())
                .contains("shorter than 5m");
        assertThat(only(elevate(Map.of("key", "payments-prod-api", "role", "root", "for", "1h", "reason", "x"))).rule())
                .isEqualTo("role");
        assertThat(only(elevate(Map.of("key", "payments-prod-api", "role", "viewer", "for", "1h", "reason", "x".repeat(501)))).rule())
                .isEqualTo("max-length");
    }
}
