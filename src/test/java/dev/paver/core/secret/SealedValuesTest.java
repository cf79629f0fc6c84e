package dev.paver.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/** Pasted sealed values: the real fixture passes for its controller; plain, cut and foreign values are refused. */
class SealedValuesTest {

    private static final SealingKey FIXTURE_KEY = SealingKey.fromPem(TestKeys.FIXTURE_PEM);

    @SuppressWarnings("unchecked")
    private static Map<String, String> fixtureValues() {
        Map<String, Object> document = new Yaml().load(TestKeys.FIXTURE_SEALED_SECRET);
        return (Map<String, String>) ((Map<String, Object>) document.get("spec")).get("encryptedData");
    }

    @Test
    void everyValueOfTheRealSealedSecretPassesForItsControllersCertificate() {
        assertThat(fixtureValues()).isNotEmpty().allSatisfy((key, value) ->
                assertThat(SealedValues.check(FIXTURE_KEY, value)).isEqualTo(value));
    }

    @Test
    void aValueSealedWithA2048BitKeyIsRefusedForA4096BitControllerWithBothSizes() {
        String foreign = Sealer.seal(TestKeys.key(2048), Scope.STRICT, "payments-dev-api", "api-stripe-key",
                "sk_live_1".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> SealedValues.check(FIXTURE_KEY, foreign))
                .isInstanceOf(InvalidSealedValueException.class)
                .hasMessageContaining("sealed with a 2048-bit key")
                .hasMessageContaining("has a 4096-bit key")
                .hasMessageContaining("kubeseal --raw --cert")
                .hasMessageContaining("plain value in the modal");
    }

    @Test
    void aValueSealedWithA4096BitKeyIsRefusedForA2048BitController() {
        String fixtureValue = fixtureValues().values().iterator().next();
        assertThatThrownBy(() -> SealedValues.check(TestKeys.key(2048), fixtureValue))
                .hasMessageContaining("sealed with a 4096-bit key").hasMessageContaining("has a 2048-bit key");
    }

    @Test
    void surroundingBlanksAndLineBreaksAreDropped() {
        String value = fixtureValues().values().iterator().next();
        String wrapped = "  " + value.substring(0, 76) + "\r\n" + value.substring(76, 152) + "\n" + value.substring(152) + "\n";

        assertThat(SealedValues.check(FIXTURE_KEY, wrapped)).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\n"})
    void emptyIsRefused(String value) {
        assertThatThrownBy(() -> SealedValues.check(FIXTURE_KEY, value)).isInstanceOf(InvalidSealedValueException.class)
                .hasMessageStartingWith("the sealed value is empty");
        assertThatThrownBy(() -> SealedValues.check(FIXTURE_KEY, null)).hasMessageStartingWith("the sealed value is empty");
    }

    @Test
    void notStandardBase64IsRefusedWithWhere() {
        String value = fixtureValues().values().iterator().next();
        assertThatThrownBy(() -> SealedValues.check(FIXTURE_KEY, value.replace('+', '-').replace('/', '_')))
                .isInstanceOf(InvalidSealedValueException.class)
                .hasMessageContaining("not standard base64").hasMessageContaining("URL-safe");
        assertThatThrownBy(() -> SealedValues.check(FIXTURE_KEY, value.substring(0, 10) + " " + value.substring(10)))
                .hasMessageContaining("character 11 of").hasMessageContaining("a blank");
        assertThatThrownBy(() -> SealedValues.check(FIXTURE_KEY, "AgA=" + value.substring(4)))
                .hasMessageContaining("'=' appears before character 5");
        assertThatThrownBy(() -> SealedValues.check(FIXTURE_KEY, value.substring(0, value.length() - 1)))
                .hasMessageContaining("groups of 4");
    }

    @Test
    void aCutOffValueIsTooShort() {
        String value = fixtureValues().values().iterator().next();
        assertThatThrownBy(() -> SealedValues.check(FIXTURE_KEY, value.substring(0, 400)))
                .isInstanceOf(InvalidSealedValueException.class)
                .hasMessageContaining("too short: 300 bytes").hasMessageContaining("at least 530");
    }

    @Test
    void aLongEnoughValueWithoutTheKeysLengthPrefixIsNotASealedValue() {
        byte[] bytes = new byte[600];
        bytes[0] = 'p';
        bytes[1] = 'w';
        assertThatThrownBy(() -> SealedValues.check(FIXTURE_KEY, Base64.getEncoder().encodeToString(bytes)))
                .isInstanceOf(InvalidSealedValueException.class)
                .hasMessageContaining("not a Sealed Secrets value for this controller")
                .hasMessageContaining("512 bytes for its 4096-bit key");
    }
}
