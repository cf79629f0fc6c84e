package dev.paver.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.slack.api.model.block.InputBlock;
import com.slack.api.model.block.composition.OptionObject;
import com.slack.api.model.block.element.StaticSelectElement;
import com.slack.api.model.view.View;
import dev.paver.core.access.AccessPolicy;
import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.Violation;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.PlatformCatalog;
import dev.paver.core.goldenpath.PlatformValues;
import dev.paver.core.goldenpath.RequestCheck;
import dev.paver.slack.ModalFactory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * The profiles, environments, resource types and roles a template offers come from {@code paver.*} settings only
 * ({@code paver:enum} in the template): the modal, the usage line and the request check follow the configuration.
 */
class PlatformValuesSettingsTest {

    /** The platform as the server wires it from these settings: conventions, access roles, templates, check. */
    private record Platform(Conventions conventions, AccessPolicy access, GoldenPathCatalog templates) {

        static Platform of(Map<String, String> settings) {
            PaverProperties properties = new Binder(new MapConfigurationPropertySource(settings))
                    .bindOrCreate("paver", PaverProperties.class);
            Conventions conventions = ConventionsFactory.from(properties.conventions());
            AccessPolicy access = PolicyFactory.access(properties.access());
            return new Platform(conventions, access, GoldenPathCatalog.load(GoldenPathFixtures.TEMPLATES,
                    BuiltInActions.ids(), PlatformValues.of(conventions, access)));
        }

        GoldenPath path(String id) {
            return templates.find(id).orElseThrow(() -> new AssertionError(id + " did not load: " + templates.problems()));
        }

        RequestCheck.Outcome check(String id, Map<String, String> given, PlatformCatalog catalog) {
            return new RequestCheck(conventions, access).check(path(id), given, catalog, false);
        }
    }

    private static List<String> options(View view, String blockId) {
        InputBlock input = view.getBlocks().stream().filter(b -> b instanceof InputBlock i && blockId.equals(i.getBlockId()))
                .map(InputBlock.class::cast).findFirst().orElseThrow(() -> new AssertionError("no input block " + blockId));
        return ((StaticSelectElement) input.getElement()).getOptions().stream().map(OptionObject::getValue).toList();
    }

    private static Map<String, String> api(String... more) {
        Map<String, String> given = new HashMap<>(GoldenPathFixtures.apiInCheckout());
        for (int i = 0; i < more.length; i += 2) {
            given.put(more[i], more[i + 1]);
        }
        return given;
    }

    @Test
    void aProfileAddedInConfigurationIsOfferedAndAcceptedAndARemovedOneRefused() {
        Map<String, String> settings = new LinkedHashMap<>(); // in the order of a configuration file
        settings.put("paver.conventions.profiles.small.requests-cpu", "100m");
        settings.put("paver.conventions.profiles.small.requests-memory", "128Mi");
        settings.put("paver.conventions.profiles.small.limits-cpu", "500m");
        settings.put("paver.conventions.profiles.small.limits-memory", "512Mi");
        settings.put("paver.conventions.profiles.xlarge.requests-cpu", "2");
        settings.put("paver.conventions.profiles.xlarge.requests-memory", "4Gi");
        settings.put("paver.conventions.profiles.xlarge.limits-cpu", "4");
        settings.put("paver.conventions.profiles.xlarge.limits-memory", "8Gi");
        Platform platform = Platform.of(settings);
        PlatformCatalog payments = GoldenPathFixtures.paymentsCatalog();
        GoldenPath createService = platform.path("create-service");

        assertThat(options(ModalFactory.modal(createService, payments, Map.of(), "C0PAYMENTS"), "profile"))
                .containsExactly("small", "xlarge");
        assertThat(createService.usage("/platform")).contains("[--profile small|xlarge]");

        RequestCheck.Outcome xlarge = platform.check("create-service", api("profile", "xlarge"), payments);
        assertThat(xlarge).isInstanceOf(RequestCheck.Accepted.class);
        assertThat(((RequestCheck.Accepted) xlarge).platform().get("profile")).isEqualTo(Map.of("name", "xlarge",
                "requestsCpu", "2", "requestsMemory", "4Gi", "limitsCpu", "4", "limitsMemory", "8Gi"));

        RequestCheck.Outcome large = platform.check("create-service", api("profile", "large"), payments);
        assertThat(large).isInstanceOf(RequestCheck.Rejected.class);
        assertThat(((RequestCheck.Rejected) large).violations()).extracting(Violation::message)
                .containsExactly("profile 'large' is not a resource profile; use one of [small, xlarge]");
    }

    @Test
    void withoutSettingsTheTemplatesOfferTheDocumentedDefaults() {
        Platform platform = Platform.of(Map.of());

        assertThat(platform.templates().problems()).isEmpty();
        assertThat(platform.path("create-service").parameters().get("profile").enumValues()).containsExactly("small", "medium", "large");
        assertThat(platform.path("create-resource").parameters().get("environment").enumValues()).containsExactly("dev", "staging", "prod");
        assertThat(platform.path("create-resource").parameters().get("type").enumValues()).containsExactly("database", "queue", "bucket");
        assertThat(platform.path("create-secret").parameters().get("environment").enumValues()).containsExactly("dev", "staging", "prod");
        assertThat(platform.path("promote").parameters().get("to").enumValues()).containsExactly("staging", "prod");
        assertThat(platform.path("elevate").parameters().get("role").enumValues()).containsExactly("viewer", "operator");
        assertThat(platform.path("create-group").parameters().get("environments").defaultValue()).isEqualTo("dev,staging");
    }

    @Test
    void environmentsResourceTypesAndRolesFollowTheirSettingsToo() {
        Platform platform = Platform.of(Map.of(
                "paver.conventions.environments", "dev,qa,prod",
                "paver.conventions.automated-sync", "dev,qa",
                "paver.conventions.resources.cache.api-version", "platform.acme.io/v1",
                "paver.conventions.resources.cache.kind", "RedisCache",
                "paver.conventions.resources.cache.segment", "redis",
                "paver.access.roles.auditor.cluster-role", "view",
                "paver.access.roles.auditor.max", "2h"));
        PlatformCatalog payments = GoldenPathFixtures.paymentsCatalogWithApi();
        View createResource = ModalFactory.modal(platform.path("create-resource"), payments, Map.of(), "C0PAYMENTS");

        assertThat(options(createResource, "environment")).containsExactly("dev", "qa", "prod");
        assertThat(options(createResource, "type")).containsExactly("database", "queue", "bucket", "cache");
        assertThat(platform.path("promote").parameters().get("to").enumValues()).containsExactly("qa", "prod");
        // create-group's developer access defaults to every environment before production, as configured
        assertThat(platform.path("create-group").parameters().get("environments").defaultValue()).isEqualTo("dev,qa");
        assertThat(options(ModalFactory.modal(platform.path("elevate"), payments, Map.of(), "C0PAYMENTS"), "role"))
                .containsExactly("auditor");

        Map<String, String> cacheInQa = Map.of("service", "api", "environment", "qa", "type", "cache", "name", "sessions");
        assertThat(platform.check("create-resource", cacheInQa, payments)).isInstanceOf(RequestCheck.Accepted.class);
        RequestCheck.Outcome staging = platform.check("create-resource",
                Map.of("service", "api", "environment", "staging", "type", "cache", "name", "sessions"), payments);
        assertThat(staging).isInstanceOf(RequestCheck.Rejected.class);
        assertThat(((RequestCheck.Rejected) staging).violations()).extracting(Violation::subject).containsExactly("environment");
    }
}
