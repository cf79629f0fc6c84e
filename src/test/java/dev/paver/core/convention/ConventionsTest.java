package dev.paver.core.convention;

import static dev.paver.core.convention.Conventions.NameRole.KEY_SEGMENT;
import static dev.paver.core.convention.Conventions.NameRole.LABEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ConventionsTest {

    private final Conventions conventions = Conventions.defaults();

    private Violation broken(String parameter, String value, Conventions.NameRole role, String other) {
        Optional<Violation> violation = conventions.checkName(parameter, value, role, other);
        assertThat(violation).as("a violation for %s=%s", parameter, value).isPresent();
        return violation.get();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a..b", "api/v2", "../etc", "api\nrm -rf /", "API", "Api", "a: b", "api;reboot", "$(id)",
            "`id`", "api|cat", "api&", "-api", "api-", "api_v2", "api.v2", " api"})
    void rejectsServiceNameThatIsNotADnsLabel(String value) {
        Violation v = broken("service", value, KEY_SEGMENT, "payments");

        assertThat(v.rule()).isEqualTo("dns-label");
        assertThat(v.subject()).isEqualTo("service");
        assertThat(v.message()).startsWith("service '").contains("is not a DNS-1123 label")
                .doesNotContain("\n", "`");
    }

    @ParameterizedTest
    @ValueSource(strings = {"true", "false", "yes", "no", "on", "off", "y", "n", "null", "1234", "0x10", "1e3", "017"})
    void rejectsNamesThatYamlWouldReadAsABooleanANumberOrNull(String value) {
        Violation v = broken("service", value, KEY_SEGMENT, "payments");

        assertThat(v.rule()).isEqualTo("yaml-type");
        assertThat(v.message()).startsWith("service '" + value + "' would be read by YAML as a boolean, a number or null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"api", "api2", "yes-api", "x1234", "on-call", "nullable", "e2e"})
    void acceptsNamesThatYamlReadsAsStrings(String value) {
        assertThat(conventions.checkName("service", value, KEY_SEGMENT, "payments")).isEmpty();
    }

    @Test
    void showsALineBreakInTheRejectedValueAsAnEscapeNotAsANewLine() {
        Violation v = broken("service", "api\nrm -rf /", KEY_SEGMENT, "payments");

        assertThat(v.message()).contains("'api\\nrm -rf /'");
    }

    @Test
    void saysHowLongANameOfMoreThan63CharactersIs() {
        Violation v = broken("service", "a".repeat(64), KEY_SEGMENT, null);

        assertThat(v.rule()).isEqualTo("dns-label");
        assertThat(v.message()).contains("it is 64 characters, more than 63");
    }

    @Test
    void rejectsAMissingName() {
        assertThat(broken("service", null, KEY_SEGMENT, "payments").rule()).isEqualTo("required");
        assertThat(broken("service", "", KEY_SEGMENT, "payments").message()).isEqualTo("service is required");
    }

    @Test
    void rejectsDomainThatContainsAnEnvironmentAsAWholeSegment() {
        Violation v = broken("domain", "payments-dev", KEY_SEGMENT, "api");

        assertThat(v.rule()).isEqualTo("environment-name");
        assertThat(v.subject()).isEqualTo("domain");
        assertThat(v.message()).contains("'payments-dev'", "'dev'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod", "staging", "api-prod", "my-staging-api"})
    void rejectsServiceThatIsOrContainsAnEnvironmentName(String value) {
        assertThat(broken("service", value, KEY_SEGMENT, "payments").rule()).isEqualTo("environment-name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"devops", "production", "api-developer", "prodigy"})
    void acceptsServiceThatMerelyContainsAnEnvironmentNameInsideASegment(String value) {
        assertThat(conventions.checkName("service", value, KEY_SEGMENT, "payments")).isEmpty();
    }

    @Test
    void computesTheLongestServiceNameThatStillFitsTheKeyWithTheLongestEnvironment() {
        // payments (8) + "-" + staging (7) + "-" + service <= 63, so the service may have 46 characters
        String longest = "s".repeat(46);
        assertThat(conventions.checkName("service", longest, KEY_SEGMENT, "payments")).isEmpty();
        new SemanticKey("payments", "staging", longest);

        Violation v = broken("service", "s".repeat(47), KEY_SEGMENT, "payments");
        assertThat(v.rule()).isEqualTo("key-length");
        assertThat(v.message()).contains("64 characters long", "use at most 46 characters");
    }

    @Test
    void appliesTheKeyLengthRuleToTheDomainAsWellWithTheServiceAsTheOtherSegment() {
        Violation v = broken("domain", "d".repeat(60), KEY_SEGMENT, "api");

        assertThat(v.rule()).isEqualTo("key-length");
        assertThat(v.message()).contains("use at most 51 characters");
    }

    @Test
    void aKeySegmentWhoseOtherSegmentIsNotKnownYetMustLeaveRoomForOne() {
        // a new domain: 53 + "-" + staging (7) + "-" + a one-character service = 63
        assertThat(conventions.checkName("domain", "d".repeat(53), KEY_SEGMENT, null)).isEmpty();

        Violation v = broken("domain", "d".repeat(54), KEY_SEGMENT, null);
        assertThat(v.rule()).isEqualTo("key-length");
        assertThat(v.message()).contains("leaves no room for the other segment of {domain}-{env}-{service}",
                "use at most 53 characters");
    }

    @Test
    void takesTheLongestConfiguredEnvironmentForTheKeyLength() {
        Conventions longEnvironment = new Conventions(List.of("dev", "preproduction"), List.of("dev"),
                conventions.profiles(), RequiredLabels.defaults(), "-gitops");

        // payments (8) + preproduction (13) + 2 separators leave 40 characters
        assertThat(longEnvironment.checkName("service", "s".repeat(40), KEY_SEGMENT, "payments")).isEmpty();
        assertThat(longEnvironment.checkName("service", "s".repeat(41), KEY_SEGMENT, "payments"))
                .map(Violation::rule).contains("key-length");
    }

    @Test
    void labelNamesAreCheckedAsDnsLabelsButNotAsKeySegments() {
        assertThat(conventions.checkName("system", "payments-dev", LABEL, null)).isEmpty();
        assertThat(conventions.checkName("owner", "prod", LABEL, null)).isEmpty();
        assertThat(conventions.checkName("system", "s".repeat(63), LABEL, "payments")).isEmpty();

        assertThat(broken("system", "Checkout", LABEL, null).rule()).isEqualTo("dns-label");
    }

    @Test
    void acceptsOnlyConfiguredEnvironments() {
        assertThat(conventions.checkEnvironment("env", "staging")).isEmpty();

        Violation v = conventions.checkEnvironment("env", "production").orElseThrow();
        assertThat(v.rule()).isEqualTo("environment");
        assertThat(v.message()).isEqualTo("env 'production' is not one of [dev, staging, prod]");
    }

    @Test
    void buildsTheKeyAsDomainEnvService() {
        assertThat(conventions.key("payments", "prod", "api")).hasToString("payments-prod-api");
    }

    @Test
    void refusesAKeyForAnEnvironmentThatIsNotConfigured() {
        assertThatThrownBy(() -> conventions.key("payments", "qa", "api"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'qa'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Payments", "pay.ments", "", "-payments", "pay ments"})
    void semanticKeyRefusesASegmentThatIsNotADnsLabel(String domain) {
        assertThatThrownBy(() -> new SemanticKey(domain, "prod", "api"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("domain ");
    }

    @Test
    void semanticKeyRefusesANullSegment() {
        assertThatThrownBy(() -> new SemanticKey("payments", "prod", null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service");
    }

    @Test
    void semanticKeyRefusesAKeyLongerThan63Characters() {
        assertThatThrownBy(() -> new SemanticKey("payments", "staging", "s".repeat(47)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 characters, more than 63");
    }

    @Test
    void refusesConfigurationWithoutEnvironments() {
        assertThatThrownBy(() -> new Conventions(List.of(), List.of(), conventions.profiles(), RequiredLabels.defaults(), "-gitops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("environment");
    }

    @Test
    void refusesConfigurationWithAnEnvironmentThatIsNotADnsLabel() {
        assertThatThrownBy(() -> new Conventions(List.of("dev", "Prod"), List.of("dev"), conventions.profiles(),
                RequiredLabels.defaults(), "-gitops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Prod'");
    }

    @Test
    void refusesConfigurationWithAnEnvironmentThatWouldSplitTheKey() {
        assertThatThrownBy(() -> new Conventions(List.of("dev", "pre-prod"), List.of("dev"), conventions.profiles(),
                RequiredLabels.defaults(), "-gitops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'pre-prod'").hasMessageContaining("without '-'");
    }

    @Test
    void refusesConfigurationNamingAnEnvironmentTwice() {
        assertThatThrownBy(() -> new Conventions(List.of("dev", "prod", "dev"), List.of("dev"), conventions.profiles(),
                RequiredLabels.defaults(), "-gitops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("twice");
    }

    @Test
    void refusesConfigurationThatSyncsAnUnknownEnvironmentAutomatically() {
        assertThatThrownBy(() -> new Conventions(List.of("dev", "prod"), List.of("dev", "staging"), conventions.profiles(),
                RequiredLabels.defaults(), "-gitops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[dev, staging]");
    }

    @Test
    void refusesConfigurationWithoutResourceProfiles() {
        assertThatThrownBy(() -> new Conventions(List.of("dev"), List.of(), Map.of(), RequiredLabels.defaults(), "-gitops"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("profile");
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertThat(conventions.environments()).containsExactly("dev", "staging", "prod");
        assertThat(conventions.automatedSyncEnvironments()).containsExactly("dev", "staging");
        assertThat(conventions.profileNames()).containsExactly("small", "medium", "large");
        assertThat(conventions.profiles().get("medium"))
                .isEqualTo(new ResourceProfile("medium", "250m", "256Mi", "1", "1Gi"));
        assertThat(conventions.gitopsRepository("payments")).isEqualTo("payments-gitops");
        assertThat(conventions.labels().keys()).hasSize(9).contains("platform/cost-center", "app.kubernetes.io/managed-by");
        assertThat(conventions.productionEnvironment()).isEqualTo("prod");
        assertThat(conventions.resourceKinds().kindNames()).containsExactly("PostgreSQLInstance", "Queue", "Bucket");
        assertThat(conventions.resourceKinds().byKind("PostgreSQLInstance").orElseThrow().segment()).isEqualTo("postgres");
        assertThat(conventions.resourceKinds().find("database").orElseThrow().kind()).isEqualTo("PostgreSQLInstance");
    }

    @Test
    void theProductionEnvironmentIsTheLastInPromotionOrder() {
        Conventions live = new Conventions(List.of("dev", "live"), List.of("dev"), conventions.profiles(),
                RequiredLabels.defaults(), "-gitops");
        assertThat(live.productionEnvironment()).isEqualTo("live");
    }

    @Test
    void refusesAResourceKindWhoseNameSegmentWouldSplitTheName() {
        assertThatThrownBy(() -> new ResourceKinds(Map.of("database", new ResourceKinds.ResourceKind("database", "pg-db",
                ResourceKinds.CLAIM_API_VERSION, "PostgreSQLInstance", ResourceKinds.Mode.CLAIM))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("resource kind PostgreSQLInstance has the name segment 'pg-db': it must be a DNS-1123 label "
                        + "without '-' ({service}-{kind}-{name})");
    }
}
