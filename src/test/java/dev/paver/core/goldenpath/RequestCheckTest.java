package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.Violation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RequestCheckTest {

    private final RequestCheck check = new RequestCheck(Conventions.defaults());
    private final GoldenPath createService = GoldenPathFixtures.createService();
    private final PlatformCatalog payments = GoldenPathFixtures.paymentsCatalog();

    private static Map<String, String> api(String... more) {
        Map<String, String> given = new HashMap<>(GoldenPathFixtures.apiInCheckout());
        for (int i = 0; i < more.length; i += 2) {
            given.put(more[i], more[i + 1]);
        }
        return given;
    }

    private List<Violation> rejected(Map<String, String> given) {
        RequestCheck.Outcome outcome = check.check(createService, given, payments, true);
        assertThat(outcome).isInstanceOf(RequestCheck.Rejected.class);
        return ((RequestCheck.Rejected) outcome).violations();
    }

    private Violation onlyViolation(Map<String, String> given) {
        List<Violation> violations = rejected(given);
        assertThat(violations).hasSize(1);
        return violations.get(0);
    }

    @Test
    void acceptsARequestFillingDefaultsAndTypingThem() {
        RequestCheck.Outcome outcome = check.check(createService, api(), payments, true);

        assertThat(outcome).isInstanceOf(RequestCheck.Accepted.class);
        Map<String, Object> parameters = ((RequestCheck.Accepted) outcome).parameters();
        assertThat(parameters).containsExactly(Map.entry("service", "api"), Map.entry("system", "checkout"),
                Map.entry("owner", "team-payments"), Map.entry("profile", "small"), Map.entry("port", 8080L));
    }

    @Test
    void derivesDomainCostCentreProfileAndRepositoryFromTheCatalog() {
        RequestCheck.Accepted accepted = (RequestCheck.Accepted) check.check(createService, api("profile", "large"), payments, true);

        assertThat(accepted.platform())
                .containsEntry("domain", "payments")
                .containsEntry("gitopsRepository", "payments-gitops")
                .containsEntry("costCenter", "cc-4711")
                .containsEntry("environments", List.of("dev", "staging", "prod"))
                .containsEntry("firstEnvironment", "dev")
                .containsEntry("profile", Map.of("name", "large", "requestsCpu", "500m", "requestsMemory", "512Mi",
                        "limitsCpu", "2", "limitsMemory", "2Gi"));
    }

    @Test
    void usesTheGivenValueOverTheDefault() {
        RequestCheck.Accepted accepted = (RequestCheck.Accepted) check.check(createService,
                api("port", "9090", "description", "Books every payment"), payments, true);

        assertThat(accepted.parameters()).containsEntry("port", 9090L).containsEntry("description", "Books every payment");
    }

    @Test
    void asksForMissingRequiredValuesOfATypedCommandKeepingWhatWasGiven() {
        RequestCheck.Outcome outcome = check.check(createService, Map.of("service", "api", "profile", "medium"), payments, true);

        assertThat(outcome).isInstanceOf(RequestCheck.Incomplete.class);
        RequestCheck.Incomplete incomplete = (RequestCheck.Incomplete) outcome;
        assertThat(incomplete.missing()).extracting(Parameter::name).containsExactly("system", "owner");
        assertThat(incomplete.given()).isEqualTo(Map.of("service", "api", "profile", "medium"));
    }

    @Test
    void treatsABlankValueAsMissing() {
        RequestCheck.Outcome outcome = check.check(createService, api("owner", "  "), payments, true);

        assertThat(outcome).isInstanceOf(RequestCheck.Incomplete.class);
        assertThat(((RequestCheck.Incomplete) outcome).missing()).extracting(Parameter::name).containsExactly("owner");
    }

    @Test
    void rejectsMissingRequiredValuesOfAModalSubmission() {
        RequestCheck.Outcome outcome = check.check(createService, Map.of("service", "api"), payments, false);

        assertThat(outcome).isInstanceOf(RequestCheck.Rejected.class);
        assertThat(((RequestCheck.Rejected) outcome).violations())
                .extracting(Violation::subject, Violation::rule, Violation::message)
                .containsExactly(
                        tuple("system", "required", "system is required: The system the service belongs to; its domain owns the GitOps repository"),
                        tuple("owner", "required", "owner is required: The group that owns and is paged for the service"));
    }

    @Test
    void rejectsAnUnknownSystemListingTheKnownOnes() {
        Violation v = onlyViolation(api("system", "billing"));

        assertThat(v.subject()).isEqualTo("system");
        assertThat(v.rule()).isEqualTo("unknown-system");
        assertThat(v.message()).isEqualTo("system 'billing' is not a known system (known: checkout); a system is known "
                + "once a domain's GitOps repository has it in catalog/systems/");
    }

    @Test
    void saysWhenNoSystemIsKnownYet() {
        RequestCheck.Outcome outcome = check.check(createService, api(), PlatformCatalog.empty(), true);

        assertThat(((RequestCheck.Rejected) outcome).violations()).extracting(Violation::subject, Violation::message)
                .contains(tuple("system", "system 'checkout' is not a known system (none is known yet); a system is "
                        + "known once a domain's GitOps repository has it in catalog/systems/"));
    }

    @Test
    void rejectsAnUnknownOwningGroup() {
        Violation v = onlyViolation(api("owner", "team-ledger"));

        assertThat(v.rule()).isEqualTo("unknown-group");
        assertThat(v.message()).contains("'team-ledger'", "known: team-payments", "catalog/groups/");
    }

    @Test
    void rejectsAnUnknownParameterListingTheParameters() {
        Violation v = onlyViolation(api("team", "payments"));

        assertThat(v.subject()).isEqualTo("team");
        assertThat(v.rule()).isEqualTo("unknown-parameter");
        assertThat(v.message()).isEqualTo("there is no parameter 'team' in create-service; its parameters are "
                + "[service, system, owner, profile, port, description]");
    }

    @Test
    void rejectsAProfileThatIsNotConfiguredOnce() {
        Violation v = onlyViolation(api("profile", "huge"));

        assertThat(v.subject()).isEqualTo("profile");
        assertThat(v.rule()).isEqualTo("profile");
        assertThat(v.message()).isEqualTo("profile 'huge' is not a resource profile; use one of [small, medium, large]");
    }

    @Test
    void rejectsAPortBelowTheMinimumNamingTheValue() {
        Violation v = onlyViolation(api("port", "80"));

        assertThat(v.subject()).isEqualTo("port");
        assertThat(v.rule()).isEqualTo("minimum");
        assertThat(v.message()).isEqualTo("port '80' is less than 1024");
    }

    @Test
    void rejectsAPortAboveTheMaximumNamingTheValue() {
        Violation v = onlyViolation(api("port", "70000"));

        assertThat(v.rule()).isEqualTo("maximum");
        assertThat(v.message()).isEqualTo("port '70000' is more than 65535");
    }

    @Test
    void rejectsAPortThatIsNotANumber() {
        Violation v = onlyViolation(api("port", "http"));

        assertThat(v.rule()).isEqualTo("type");
        assertThat(v.message()).isEqualTo("port 'http' is not an integer");
    }

    @Test
    void rejectsControlCharactersInFreeText() {
        Violation v = onlyViolation(api("description", "Books payments\n<!channel> now"));

        assertThat(v.subject()).isEqualTo("description");
        assertThat(v.rule()).isEqualTo("single-line");
        assertThat(v.message()).contains("'Books payments\\n<!channel> now'").doesNotContain("\n");
    }

    @Test
    void rejectsCharactersThatYamlCannotHoldBeforeAnythingIsRendered() {
        Violation v = onlyViolation(api("description", "Books payments \uFFFE"));

        assertThat(v.rule()).isEqualTo("printable");
        assertThat(v.message()).contains("U+FFFE");
    }

    @Test
    void acceptsCharactersOutsideTheBasicPlaneInFreeText() {
        assertThat(check.check(createService, api("description", "Payments \uD83D\uDCB3 at checkout"), payments, true))
                .isInstanceOf(RequestCheck.Accepted.class);
    }

    @Test
    void rejectsADescriptionLongerThanTheTemplateAllows() {
        Violation v = onlyViolation(api("description", "x".repeat(201)));

        assertThat(v.rule()).isEqualTo("maxLength");
        assertThat(v.message()).startsWith("description 'xxx").endsWith("…' is longer than 200 characters");
    }

    @Test
    void rejectsFreeTextLongerThanPaverAcceptsAtAll() {
        Violation v = onlyViolation(api("description", "x".repeat(RequestCheck.MAX_TEXT + 1)));

        assertThat(v.rule()).isEqualTo("max-length");
        assertThat(v.message()).isEqualTo("description is 501 characters, more than 500");
    }

    @Test
    void rejectsAServiceNamedAfterAnEnvironment() {
        Violation v = onlyViolation(api("service", "prod"));

        assertThat(v.rule()).isEqualTo("environment-name");
    }

    @Test
    void rejectsAServiceTooLongForTheKeyOfItsDomain() {
        Violation v = onlyViolation(api("service", "s".repeat(47)));

        assertThat(v.rule()).isEqualTo("key-length");
        assertThat(v.message()).contains("use at most 46 characters");
    }

    @Test
    void reportsOneViolationPerBrokenParameter() {
        List<Violation> violations = rejected(Map.of("service", "Payments API", "system", "billing", "owner", "team-payments",
                "profile", "huge", "port", "80", "color", "blue"));

        assertThat(violations).extracting(Violation::subject, Violation::rule).containsExactlyInAnyOrder(
                tuple("color", "unknown-parameter"), tuple("service", "dns-label"), tuple("system", "unknown-system"),
                tuple("profile", "profile"), tuple("port", "minimum"));
    }

    // create-domain, create-system, create-group, create-user: the paths that change the catalog and access

    /** The payments catalog with service api and the person dana-smith in team-payments. */
    private static PlatformCatalog paymentsWithApiAndDana() {
        PlatformCatalog c = GoldenPathFixtures.paymentsCatalogWithApi();
        return new PlatformCatalog(c.systems(), c.groups(), c.services(), c.domains(), Map.of("dana-smith", List.of("team-payments")));
    }

    private RequestCheck.Outcome checkPath(String pathId, String... given) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < given.length; i += 2) {
            values.put(given[i], given[i + 1]);
        }
        return check.check(GoldenPathFixtures.templates().find(pathId).orElseThrow(), values, paymentsWithApiAndDana(), false);
    }

    private Violation onlyViolationOf(String pathId, String... given) {
        RequestCheck.Outcome outcome = checkPath(pathId, given);
        assertThat(outcome).isInstanceOf(RequestCheck.Rejected.class);
        List<Violation> violations = ((RequestCheck.Rejected) outcome).violations();
        assertThat(violations).hasSize(1);
        return violations.get(0);
    }

    @Test
    void rejectsANewDomainThatLeavesNoRoomForAServiceInItsKeys() {
        Violation v = onlyViolationOf("create-domain", "domain", "d".repeat(54), "owner", "team-payments");

        assertThat(v.subject()).isEqualTo("domain");
        assertThat(v.rule()).isEqualTo("key-length");
        assertThat(v.message()).contains("use at most 53 characters");
        assertThat(checkPath("create-domain", "domain", "d".repeat(53), "owner", "team-payments"))
                .isInstanceOf(RequestCheck.Accepted.class);
    }

    @Test
    void rejectsADomainThatExistsAlready() {
        Violation v = onlyViolationOf("create-domain", "domain", "payments", "owner", "team-payments");

        assertThat(v.rule()).isEqualTo("domain-exists");
        assertThat(v.message()).contains("catalog/domain.yaml of payments-gitops");
    }

    @Test
    void asksForTheCostCentreOfANewOwningGroupButTakesAKnownGroupsOwn() {
        Violation v = onlyViolationOf("create-domain", "domain", "shipping", "owner", "team-shipping");
        assertThat(v.subject()).isEqualTo("costCenter");
        assertThat(v.rule()).isEqualTo("required");
        assertThat(v.message()).contains("owner 'team-shipping' is a new group");

        RequestCheck.Outcome known = checkPath("create-domain", "domain", "shipping", "owner", "team-payments");
        assertThat(known).isInstanceOfSatisfying(RequestCheck.Accepted.class, a -> assertThat(a.platform())
                .containsEntry("newOwner", false).containsEntry("costCenter", "cc-4711")
                .containsEntry("gitopsRepository", "shipping-gitops"));
    }

    @Test
    void refusesProductionAccessForADeveloperGroupPointingToElevate() {
        Violation v = onlyViolationOf("create-group", "group", "team-ledger", "domain", "payments", "costCenter", "cc-1",
                "environments", "staging,prod");

        assertThat(v.subject()).isEqualTo("environments");
        assertThat(v.rule()).isEqualTo("no-prod-developer-access");
        assertThat(v.message()).contains("/platform elevate {domain}-prod-{service}", "[dev, staging]");
    }

    @Test
    void rejectsAnUnknownOrEmptyEnvironmentListOfAGroup() {
        assertThat(onlyViolationOf("create-group", "group", "team-ledger", "domain", "payments", "costCenter", "cc-1",
                "environments", "dev,qa").message()).isEqualTo("environments 'qa' is not one of [dev, staging, prod]");
        assertThat(onlyViolationOf("create-group", "group", "team-ledger", "domain", "payments", "costCenter", "cc-1",
                "environments", " , ").rule()).isEqualTo("required");
    }

    @Test
    void bindsANewGroupToEveryServiceOfItsDomainInEachChosenEnvironmentOneFileEach() {
        RequestCheck.Outcome outcome = checkPath("create-group", "group", "team-ledger", "domain", "payments",
                "costCenter", "cc-1", "members", "dana-smith");

        assertThat(outcome).isInstanceOfSatisfying(RequestCheck.Accepted.class, a -> {
            assertThat(a.parameters()).containsEntry("members", List.of("dana-smith"));
            assertThat(a.platform()).containsEntry("groupBindings", List.of("dev/team-ledger/api", "staging/team-ledger/api"));
            assertThat(a.platform().get("groupBinding")).isEqualTo(Map.of(
                    "dev/team-ledger/api", Map.of("environment", "dev", "group", "team-ledger", "service", "api",
                            "namespace", "payments-dev-api"),
                    "staging/team-ledger/api", Map.of("environment", "staging", "group", "team-ledger", "service", "api",
                            "namespace", "payments-staging-api")));
            assertThat(a.platform()).containsEntry("accessAnnotations",
                    Map.of("domain", "payments", "environments", "dev,staging", "systems", "*"));
        });
    }

    /** payments with systems checkout (service api) and ledger (service books), and the given group access. */
    private static PlatformCatalog twoSystems(PlatformCatalog.GroupAccess... access) {
        PlatformCatalog c = GoldenPathFixtures.paymentsCatalogWithApi();
        Map<String, PlatformCatalog.SystemEntry> systems = new HashMap<>(c.systems());
        systems.put("ledger", new PlatformCatalog.SystemEntry("ledger", "payments", "team-payments"));
        Map<String, PlatformCatalog.ServiceEntry> services = new HashMap<>(c.services());
        services.put("books", new PlatformCatalog.ServiceEntry("books", "ledger", "team-payments", "payments"));
        Map<String, String> groups = new HashMap<>(c.groups());
        Map<String, PlatformCatalog.GroupAccess> byGroup = new HashMap<>();
        for (PlatformCatalog.GroupAccess a : access) {
            groups.put(a.group(), "cc-1");
            byGroup.put(a.group(), a);
        }
        return new PlatformCatalog(systems, groups, services, c.domains(), c.users(), Set.of(), byGroup);
    }

    @Test
    void bindsANewGroupOnlyToTheServicesOfTheSystemsItIsGiven() {
        RequestCheck.Outcome outcome = check.check(GoldenPathFixtures.templates().find("create-group").orElseThrow(),
                Map.of("group", "team-ledger", "domain", "payments", "costCenter", "cc-1", "systems", "ledger",
                        "environments", "staging"), twoSystems(), false);

        assertThat(outcome).isInstanceOfSatisfying(RequestCheck.Accepted.class, a -> {
            assertThat(a.platform()).containsEntry("groupBindings", List.of("staging/team-ledger/books"));
            assertThat(a.platform()).containsEntry("accessAnnotations",
                    Map.of("domain", "payments", "environments", "staging", "systems", "ledger"));
        });
    }

    @Test
    void refusesASystemOfAnotherDomainOrNoneAndANameThatIsNoLabel() {
        Violation unknown = onlyViolationOf("create-group", "group", "team-ledger", "domain", "payments", "costCenter", "cc-1",
                "systems", "checkout,shipping");
        assertThat(unknown.rule()).isEqualTo("unknown-system");
        assertThat(unknown.message()).isEqualTo("systems: 'shipping' is not a system of 'payments' (its systems: checkout); "
                + "leave systems out for every system of the domain");

        assertThat(onlyViolationOf("create-group", "group", "team-ledger", "domain", "payments", "costCenter", "cc-1",
                "systems", "../checkout").rule()).isEqualTo("dns-label");
    }

    @Test
    void bindsANewServiceForEveryGroupWithAccessToItsSystemInThatGroupsEnvironments() {
        PlatformCatalog catalog = twoSystems(
                new PlatformCatalog.GroupAccess("team-ledger", "payments", List.of("dev", "staging"), List.of()),
                new PlatformCatalog.GroupAccess("team-oncall", "payments", List.of("staging"), List.of("checkout")),
                new PlatformCatalog.GroupAccess("team-books", "payments", List.of("dev"), List.of("ledger")),
                new PlatformCatalog.GroupAccess("team-parcels", "shipping", List.of("dev"), List.of()),
                // a hand-edited annotation naming prod: the gate refuses it, and no service is ever bound there
                new PlatformCatalog.GroupAccess("team-rogue", "payments", List.of("prod", "dev"), List.of()));

        RequestCheck.Accepted a = (RequestCheck.Accepted) check.check(createService,
                Map.of("service", "cart", "system", "checkout", "owner", "team-payments"), catalog, false);

        assertThat(a.platform()).containsEntry("groupBindings", List.of("dev/team-ledger/cart", "dev/team-rogue/cart",
                "staging/team-ledger/cart", "staging/team-oncall/cart"));
        assertThat(a.platform()).containsEntry("accessGroups", List.of("team-ledger", "team-oncall", "team-rogue"));
        assertThat(a.platform().get("groupBinding")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("staging/team-oncall/cart", Map.of("environment", "staging", "group", "team-oncall",
                        "service", "cart", "namespace", "payments-staging-cart"));
    }

    @Test
    void bindsANewServiceForNoGroupWhenNoneHasAccess() {
        RequestCheck.Accepted a = (RequestCheck.Accepted) check.check(createService, api(), GoldenPathFixtures.paymentsCatalog(), false);

        assertThat(a.platform()).containsEntry("groupBindings", List.of());
    }

    @Test
    void namesTheMemberOrGroupThatTheCatalogDoesNotKnow() {
        Violation member = onlyViolationOf("create-group", "group", "team-ledger", "domain", "payments", "costCenter", "cc-1",
                "members", "dana-smith,lee");
        assertThat(member.rule()).isEqualTo("unknown-user");
        assertThat(member.message()).startsWith("members: 'lee' is not a person in the catalog");

        Violation group = onlyViolationOf("create-user", "user", "lee", "email", "lee@acme.com", "domain", "payments",
                "groups", "team-payments,team-ghost");
        assertThat(group.rule()).isEqualTo("unknown-group");
        assertThat(group.message()).startsWith("groups: 'team-ghost' is not a known group (known: team-payments)");
    }

    @Test
    void rejectsANewServiceWhoseCatalogComponentExistsInAnyDomain() {
        RequestCheck.Outcome outcome = check.check(createService, api(), GoldenPathFixtures.paymentsCatalogWithApi(), true);

        Violation v = ((RequestCheck.Rejected) outcome).violations().get(0);
        assertThat(v.subject()).isEqualTo("service");
        assertThat(v.rule()).isEqualTo("service-exists");
        assertThat(v.message()).isEqualTo("service 'api': the service exists already (catalog/components/ of "
                + "payments-gitops); choose another name");
    }

    @Test
    void rejectsANewServiceWhoseApplicationRepositoryNameIsTaken() {
        PlatformCatalog withRepository = payments.withRepositories(List.of("payments-gitops", "api"));

        RequestCheck.Outcome outcome = check.check(createService, api(), withRepository, true);

        assertThat(((RequestCheck.Rejected) outcome).violations()).singleElement()
                .extracting(Violation::subject, Violation::rule, Violation::message)
                .containsExactly("service", "repository-exists", "service 'api': a repository api exists already, and a "
                        + "new service's application repository takes its name; nothing was pushed. Choose another name, "
                        + "or ask the repository's owners");
        assertThat(check.check(createService, api("service", "ledger"), withRepository, true))
                .isInstanceOf(RequestCheck.Accepted.class);
    }

    @Test
    void rejectsAPersonWhoIsInTheCatalogAlready() {
        Violation v = onlyViolationOf("create-user", "user", "dana-smith", "email", "dana@acme.com", "domain", "payments",
                "groups", "team-payments");

        assertThat(v.subject()).isEqualTo("user");
        assertThat(v.rule()).isEqualTo("user-exists");
    }

    @Test
    void pointsAnUnknownDomainOfASystemToCreateDomain() {
        Violation v = onlyViolationOf("create-system", "system", "ledger", "domain", "shipping", "owner", "team-payments");

        assertThat(v.rule()).isEqualTo("unknown-domain");
        assertThat(v.message()).contains("known: payments", "/platform create-domain shipping");
    }

    // delete-service: the service is named with its system and domain, as a confirmation

    @Test
    void acceptsADeletionNamingTheServicesOwnSystemAndDomain() {
        RequestCheck.Outcome outcome = checkPath("delete-service", "service", "api", "system", "checkout", "domain", "payments");

        assertThat(outcome).isInstanceOfSatisfying(RequestCheck.Accepted.class, a -> assertThat(a.platform())
                .containsEntry("gitopsRepository", "payments-gitops").containsEntry("productionEnvironment", "prod"));
    }

    @Test
    void refusesADeletionNamingAnotherSystemThanTheServicesOwn() {
        PlatformCatalog c = paymentsWithApiAndDana();
        Map<String, PlatformCatalog.SystemEntry> systems = new HashMap<>(c.systems());
        systems.put("ledger", new PlatformCatalog.SystemEntry("ledger", "payments", "team-payments"));
        PlatformCatalog withLedger = new PlatformCatalog(systems, c.groups(), c.services(), c.domains(), c.users());

        RequestCheck.Outcome outcome = check.check(GoldenPathFixtures.templates().find("delete-service").orElseThrow(),
                Map.of("service", "api", "system", "ledger", "domain", "payments"), withLedger, false);

        assertThat(outcome).isInstanceOfSatisfying(RequestCheck.Rejected.class, r -> assertThat(r.violations())
                .singleElement().satisfies(v -> {
                    assertThat(v.subject()).isEqualTo("system");
                    assertThat(v.rule()).isEqualTo("service-elsewhere");
                    assertThat(v.message()).contains("the service api is in system checkout of domain payments");
                }));
    }
}
