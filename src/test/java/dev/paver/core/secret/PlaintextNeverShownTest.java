package dev.paver.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A recognisable plain value goes through every error path of the package (sealing refused, pasted where a sealed
 * value belongs, pasted as a certificate, rendered next to a bad key) and appears in no exception message, no cause's
 * message, no toString.
 */
class PlaintextNeverShownTest {

    private static final String PLAINTEXT = "Tr0ub4dor-correct-horse-battery-staple-4711";
    /** A plain value that happens to be valid base64, so that it gets past the alphabet check. */
    private static final String BASE64_LOOKING = "CorrectHorseBatteryStaple4711xyzCorrectHorseBatteryStaple4711xyz";

    private final List<String> shown = new ArrayList<>();

    private static byte[] plain() {
        return PLAINTEXT.getBytes(StandardCharsets.UTF_8);
    }

    private void failing(ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("an error path").isNotNull();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            shown.add(t.toString());
            shown.add(String.valueOf(t.getMessage()));
            shown.add(String.valueOf(t.getLocalizedMessage()));
        }
    }

    @Test
    void thePlainValueAppearsInNoMessageNorToString() {
        SealingKey key4096 = SealingKey.fromPem(TestKeys.FIXTURE_PEM);
        SealingKey key2048 = TestKeys.key(2048);
        String sealedFor2048 = Sealer.seal(key2048, Scope.STRICT, "payments-dev-api", "api-stripe-key", plain());

        failing(() -> Sealer.seal(key4096, Scope.STRICT, "Payments Dev", "api-stripe-key", plain()));
        failing(() -> Sealer.seal(key4096, Scope.STRICT, "payments-dev-api", "API_STRIPE", plain()));
        failing(() -> Sealer.seal(null, Scope.STRICT, "payments-dev-api", "api-stripe-key", plain()));
        failing(() -> Sealer.seal(key4096, null, "payments-dev-api", "api-stripe-key", plain()));
        failing(() -> SealedValues.check(key4096, PLAINTEXT));
        failing(() -> SealedValues.check(key4096, " " + PLAINTEXT + " "));
        failing(() -> SealedValues.check(key4096, BASE64_LOOKING));
        failing(() -> SealedValues.check(key4096, Base64.getEncoder().encodeToString(plain())));
        failing(() -> SealedValues.check(key4096, sealedFor2048));
        failing(() -> SealingKey.fromPem(PLAINTEXT));
        failing(() -> SealingKey.fromPem("-----BEGIN CERTIFICATE-----\n" + PLAINTEXT + "\n-----END CERTIFICATE-----"));
        failing(() -> SealedSecretManifest.render("payments-dev-api", "api-stripe-key", Scope.STRICT,
                Map.of("GOOD", sealedFor2048, "EMPTY", ""), null));
        failing(() -> Scope.parse("no-such-scope"));
        shown.add(key4096.toString());
        shown.add(key2048.toString());
        shown.add(Fingerprint.of(plain()));
        for (Scope scope : Scope.values()) {
            shown.add(scope.toString());
        }

        assertThat(shown).hasSizeGreaterThan(20).allSatisfy(text -> {
            assertThat(text).doesNotContain(PLAINTEXT).doesNotContain("correct-horse").doesNotContain("Tr0ub4dor")
                    .doesNotContain("HorseBattery").doesNotContain(Base64.getEncoder().encodeToString(plain()))
                    .doesNotContain(sealedFor2048.substring(0, 24));
        });
    }
}
