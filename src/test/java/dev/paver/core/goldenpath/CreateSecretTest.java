package dev.paver.core.goldenpath;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.Violation;
import dev.paver.core.secret.CertificateSource;
import dev.paver.core.secret.Fingerprint;
import dev.paver.core.secret.Scope;
import dev.paver.core.secret.Sealer;
import dev.paver.core.secret.SealingKey;
import dev.paver.core.secret.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.yaml.snakeyaml.Yaml;

/**
 * The create-secret golden path from the request to the rendered SealedSecret: a pasted value is sealed so that the
 * controller's private key unseals it (for every scope), the plain value is in no parameter or file, a kubeseal value
 * is checked against the controller's key size, and bad input is refused naming the parameter and the rule.
 */
class CreateSecretTest {

    private static final String PLAIN = "sk_live_Tr0ub4dor-correct-horse";
    private static final String FILE = "gitops/secrets/dev/api/stripe-key.yaml";

    private final GoldenPath path = GoldenPathFixtures.templates().find("create-secret").orElseThrow();
    private final KeyPair pair = TestKeys.rsa(4096);
    private final CertificateSource certificate = () -> SealingKey.fromPem(TestKeys.pem(pair));

    private static Map<String, String> request(String... more) {
        Map<String, String> given = new LinkedHashMap<>(Map.of("service", "api", "environment", "dev", "name", "stripe-key",
                "key", "STRIPE_KEY"));
        for (int i = 0; i < more.length; i += 2) {
            given.put(more[i], more[i + 1]);
        }
        return given;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> manifest(Map<String, String> files) {
        assertThat(files).containsKey(FILE);
        return new Yaml().load(files.get(FILE));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.get(key);
    }

    @ParameterizedTest
    @EnumSource(Scope.class)
    void aPastedValueIsRenderedSealedSoThatTheControllersPrivateKeyUnsealsItInEveryScope(Scope scope) throws Exception {
        Map<String, String> files = GoldenPathFixtures.render("create-secret", request("value", PLAIN, "scope", scope.id()),
                GoldenPathFixtures.paymentsCatalogWithApi(), certificate);

        Map<String, Object> manifest = manifest(files);
        Map<String, Object> metadata = map(manifest, "metadata");
        assertThat(manifest.get("kind")).isEqualTo("SealedSecret");
        assertThat(metadata).containsEntry("name", "api-stripe-key").containsEntry("namespace", "payments-dev-api");
        String sealed = (String) map(map(manifest, "spec"), "encryptedData").get("STRIPE_KEY");
        byte[] label = scope.label("payments-dev-api", "api-stripe-key");
        assertThat(new String(TestKeys.unseal(pair, sealed, label), StandardCharsets.UTF_8)).isEqualTo(PLAIN);
        assertThat(files.values()).noneSatisfy(text -> assertThat(text).contains(PLAIN));
    }

    @Test
    void theAcceptedRequestCarriesTheFingerprintAndTheSealedValueNeverThePlainOne() {
        SecretParameters.Split split = SecretParameters.withhold(path, request("value", PLAIN));
        assertThat(split.violations()).isEmpty();
        assertThat(split.given()).containsEntry("value", Fingerprint.of(PLAIN.getBytes(StandardCharsets.UTF_8)));
        assertThat(split.withheld().toString()).doesNotContain(PLAIN);
        var checked = (RequestCheck.Accepted) new RequestCheck(Conventions.defaults()).check(path, split.given(),
                GoldenPathFixtures.paymentsCatalogWithApi(), false);

        var sealed = (RequestCheck.Accepted) SecretParameters.seal(path, checked, split.withheld(), certificate);

        assertThat(sealed.parameters()).containsEntry("value", Fingerprint.of(PLAIN.getBytes(StandardCharsets.UTF_8)));
        assertThat(sealed.platform()).containsEntry("sealedBy", "paver").containsEntry("scope", "strict")
                .containsEntry("keyBits", 4096);
        assertThat(sealed.toString()).doesNotContain(PLAIN);
        assertThat(((Map<?, ?>) sealed.platform().get("encryptedData")).keySet()).hasSize(1).allMatch("STRIPE_KEY"::equals);
    }

    @Test
    void aKubesealValueForTheControllersKeySizeGoesIntoTheFileAsPasted() {
        String kubeseal = Sealer.seal(certificate.current(), Scope.STRICT, "payments-dev-api", "api-stripe-key",
                PLAIN.getBytes(StandardCharsets.UTF_8));

        Map<String, String> files = GoldenPathFixtures.render("create-secret", request("sealedValue", "  " + kubeseal + "\n"),
                GoldenPathFixtures.paymentsCatalogWithApi(), certificate);

        assertThat(map(map(manifest(files), "spec"), "encryptedData")).containsEntry("STRIPE_KEY", kubeseal);
    }

    @Test
    void aKubesealValueSealedForAnotherKeySizeIsRefusedNamingSealedValue() {
        String for2048 = Sealer.seal(TestKeys.key(2048), Scope.STRICT, "payments-dev-api", "api-stripe-key",
                PLAIN.getBytes(StandardCharsets.UTF_8));

        RequestCheck.Outcome outcome = check(request("sealedValue", for2048), certificate);

        assertThat(outcome).isInstanceOf(RequestCheck.Rejected.class);
        Violation v = ((RequestCheck.Rejected) outcome).violations().get(0);
        assertThat(v.subject()).isEqualTo("sealedValue");
        assertThat(v.rule()).isEqualTo("sealed-value");
        assertThat(v.message()).contains("2048-bit key").contains("4096-bit key").doesNotContain(for2048.substring(0, 20));
    }

    @Test
    void withoutACertificateBothRoutesAreRefusedSayingWhatToConfigureAndThePlainBytesAreZeroed() {
        CertificateSource none = CertificateSource.unavailable("no Sealed Secrets certificate: set "
                + "paver.sealed-secrets.certificate-file");
        SecretParameters.Split split = SecretParameters.withhold(path, request("value", PLAIN));
        var checked = (RequestCheck.Accepted) new RequestCheck(Conventions.defaults()).check(path, split.given(),
                GoldenPathFixtures.paymentsCatalogWithApi(), false);

        RequestCheck.Outcome outcome = SecretParameters.seal(path, checked, split.withheld(), none);

        Violation v = ((RequestCheck.Rejected) outcome).violations().get(0);
        assertThat(v.subject()).isEqualTo("value");
        assertThat(v.rule()).isEqualTo("certificate");
        assertThat(v.message()).contains("paver.sealed-secrets.certificate-file").doesNotContain(PLAIN);
        Violation sealedRoute = ((RequestCheck.Rejected) check(request("sealedValue", "AgBy"), none)).violations().get(0);
        assertThat(sealedRoute.subject()).isEqualTo("sealedValue");
        assertThat(sealedRoute.rule()).isEqualTo("certificate");
    }

    @Test
    void bothValuesAreRefusedAndNeitherIsMissing() {
        SecretParameters.Split both = SecretParameters.withhold(path, request("value", PLAIN, "sealedValue", "AgBy"));
        assertThat(both.violations()).singleElement().satisfies(v -> {
            assertThat(v.subject()).isEqualTo("value");
            assertThat(v.rule()).isEqualTo("one-value");
            assertThat(v.message()).contains("value and sealedValue").doesNotContain(PLAIN);
        });
        assertThat(both.withheld().isEmpty()).isTrue();

        SecretParameters.Split neither = SecretParameters.withhold(path, request());
        assertThat(SecretParameters.missing(path, neither.withheld())).hasValueSatisfying(v -> {
            assertThat(v.subject()).isEqualTo("value");
            assertThat(v.rule()).isEqualTo("required");
            assertThat(v.message()).contains("sealedValue").contains("kubeseal --raw");
        });
    }

    @ParameterizedTest(name = "{0}={1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "key|STRIPE KEY|secret-key",
            "key|../etc|secret-key",
            "key|..x|secret-key",
            "scope|galaxy-wide|scope",
            "name|Stripe_Key|dns-label",
            "environment|qa|environment",
            "service|billing|unknown-service"})
    void badInputIsRefusedNamingTheParameterAndTheRule(String parameter, String value, String rule) {
        Map<String, String> given = request("value", PLAIN);
        given.put(parameter, value);
        SecretParameters.Split split = SecretParameters.withhold(path, given);

        RequestCheck.Outcome outcome = new RequestCheck(Conventions.defaults()).check(path, split.given(),
                GoldenPathFixtures.paymentsCatalogWithApi(), false);

        assertThat(outcome).isInstanceOf(RequestCheck.Rejected.class);
        List<Violation> violations = ((RequestCheck.Rejected) outcome).violations();
        assertThat(violations).anySatisfy(v -> {
            assertThat(v.subject()).isEqualTo(parameter);
            assertThat(v.rule()).isEqualTo(rule);
        });
        assertThat(violations).allSatisfy(v -> assertThat(v.message()).doesNotContain(PLAIN));
    }

    @Test
    void aPlainValueLongerThanTheLimitIsRefusedWithoutQuotingIt() {
        String tooLong = "x".repeat(SecretParameters.MAX_VALUE + 1);

        SecretParameters.Split split = SecretParameters.withhold(path, request("value", tooLong));

        assertThat(split.violations()).singleElement().satisfies(v -> {
            assertThat(v.rule()).isEqualTo("max-length");
            assertThat(v.message()).isEqualTo("value is 3001 characters long, more than 3000");
        });
    }

    @Test
    void aValueForProdIsSealedWithProdsControllerKeyAndAskedForByItsEnvironment() throws Exception {
        KeyPair prod = TestKeys.rsa(2048);
        List<String> asked = new ArrayList<>();
        CertificateSource perEnvironment = new CertificateSource() {
            @Override
            public SealingKey current() {
                throw new AssertionError("the certificate was asked for without the request's environment");
            }

            @Override
            public SealingKey current(String environment) {
                asked.add(environment);
                return SealingKey.fromPem(TestKeys.pem(environment.equals("prod") ? prod : pair));
            }
        };

        var sealed = (RequestCheck.Accepted) check(request("environment", "prod", "value", PLAIN), perEnvironment);

        assertThat(asked).containsExactly("prod");
        assertThat(sealed.platform()).containsEntry("keyBits", 2048);
        String value = (String) ((Map<?, ?>) sealed.platform().get("encryptedData")).get("STRIPE_KEY");
        byte[] label = Scope.STRICT.label("payments-prod-api", "api-stripe-key");
        assertThat(new String(TestKeys.unseal(prod, value, label), StandardCharsets.UTF_8)).isEqualTo(PLAIN);
    }

    private RequestCheck.Outcome check(Map<String, String> given, CertificateSource certificates) {
        SecretParameters.Split split = SecretParameters.withhold(path, given);
        var checked = new RequestCheck(Conventions.defaults()).check(path, split.given(),
                GoldenPathFixtures.paymentsCatalogWithApi(), false);
        assertThat(checked).isInstanceOf(RequestCheck.Accepted.class);
        return SecretParameters.seal(path, (RequestCheck.Accepted) checked, split.withheld(), certificates);
    }
}
