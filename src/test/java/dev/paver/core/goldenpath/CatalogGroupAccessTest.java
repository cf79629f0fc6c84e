package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The developer access of catalog Groups, as {@link CatalogReader} reads it from their {@code platform/access-*}
 * annotations and create-service asks it ({@link PlatformCatalog#groupsWithAccessTo}).
 */
class CatalogGroupAccessTest {

    private static String group(String name, String annotations) {
        return """
                apiVersion: backstage.io/v1alpha1
                kind: Group
                metadata:
                  name: %s
                  annotations:
                    platform/cost-center: cc-1
                %sspec:
                  type: team
                """.formatted(name, annotations);
    }

    private static PlatformCatalog read(String... nameAndAnnotations) {
        Map<String, String> files = new java.util.TreeMap<>();
        for (int i = 0; i < nameAndAnnotations.length; i += 2) {
            files.put("payments-gitops/catalog/groups/" + i + ".yaml", group(nameAndAnnotations[i], nameAndAnnotations[i + 1]));
        }
        return CatalogReader.read(files);
    }

    @Test
    void readsTheAccessAGroupDeclares() {
        PlatformCatalog catalog = read("team-ledger", """
                    platform/access-domain: payments
                    platform/access-environments: "dev, staging"
                    platform/access-systems: "*"
                """, "team-oncall", """
                    platform/access-domain: payments
                    platform/access-environments: staging
                    platform/access-systems: checkout,ledger
                """, "team-payments", "");

        assertThat(catalog.groups()).containsOnlyKeys("team-ledger", "team-oncall", "team-payments");
        assertThat(catalog.groupAccess()).containsOnlyKeys("team-ledger", "team-oncall");
        assertThat(catalog.groupAccess().get("team-ledger"))
                .isEqualTo(new PlatformCatalog.GroupAccess("team-ledger", "payments", List.of("dev", "staging"), List.of()));
        assertThat(catalog.groupsWithAccessTo("payments", "checkout")).extracting(PlatformCatalog.GroupAccess::group)
                .containsExactly("team-ledger", "team-oncall");
        assertThat(catalog.groupsWithAccessTo("payments", "billing")).extracting(PlatformCatalog.GroupAccess::group)
                .containsExactly("team-ledger");
        assertThat(catalog.groupsWithAccessTo("shipping", "checkout")).isEmpty();
    }

    @Test
    void givesNoAccessToAGroupWhoseAnnotationsAreNotWellFormed() {
        PlatformCatalog catalog = read("team-half", """
                    platform/access-domain: payments
                    platform/access-environments: dev
                """, "team-path", """
                    platform/access-domain: payments
                    platform/access-environments: "dev,../../etc"
                    platform/access-systems: "*"
                """, "Team_Upper", """
                    platform/access-domain: payments
                    platform/access-environments: dev
                    platform/access-systems: "*"
                """);

        assertThat(catalog.groupAccess()).isEmpty();
        assertThat(catalog.groups()).containsKeys("team-half", "team-path", "Team_Upper");
    }
}
