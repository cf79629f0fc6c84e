package dev.paver.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Base64;
import java.util.EnumSet;
import javax.crypto.Cipher;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Values sealed by Paver unseal the way the controller unseals them (kubeseal's HybridDecrypt, here with
 * BouncyCastle's RSA-OAEP and AES-GCM), for every scope and for 4096- and 2048-bit keys, and only with the label of
 * the scope, namespace and name they were sealed for.
 */
class SealerTest {

    private static final String NS = "payments-dev-api";
    private static final String NAME = "api-stripe-key";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0} with a {1}-bit key")
    @CsvSource({"STRICT,4096", "NAMESPACE_WIDE,4096", "CLUSTER_WIDE,4096", "STRICT,2048", "NAMESPACE_WIDE,2048",
            "CLUSTER_WIDE,2048"})
    void everyScopeUnsealsWithItsLabelToThePlaintext(Scope scope, int bits) throws Exception {
        KeyPair pair = TestKeys.rsa(bits);
        SealingKey key = SealingKey.fromPem(TestKeys.pem(pair));
        String plaintext = "sk_live_51H8 ünïcode ✓";

        String sealed = Sealer.seal(key, scope, NS, NAME, bytes(plaintext));

        byte[] label = scope.label(NS, NAME);
        assertThat(new String(TestKeys.unseal(pair, sealed, label), StandardCharsets.UTF_8)).isEqualTo(plaintext);
    }

    @ParameterizedTest
    @EnumSource(Scope.class)
    void anotherScopesLabelDoesNotUnseal(Scope scope) {
        KeyPair pair = TestKeys.rsa(2048);
        String sealed = Sealer.seal(SealingKey.fromPem(TestKeys.pem(pair)), scope, NS, NAME, bytes("hunter2"));

        for (Scope other : EnumSet.complementOf(EnumSet.of(scope))) {
            assertThatThrownBy(() -> TestKeys.unseal(pair, sealed, other.label(NS, NAME)))
                    .as("sealed %s, unsealed %s", scope, other).isInstanceOf(InvalidCipherTextException.class);
        }
    }

    @Test
    void aStrictValueUnsealsOnlyForItsNamespaceAndName() throws Exception {
        KeyPair pair = TestKeys.rsa(2048);
        String sealed = Sealer.seal(SealingKey.fromPem(TestKeys.pem(pair)), Scope.STRICT, NS, NAME, bytes("hunter2"));

        assertThat(TestKeys.unseal(pair, sealed, bytes(NS + "/" + NAME))).isEqualTo(bytes("hunter2"));
        assertThatThrownBy(() -> TestKeys.unseal(pair, sealed, bytes(NS + "/api-other-key")))
                .isInstanceOf(InvalidCipherTextException.class);
        assertThatThrownBy(() -> TestKeys.unseal(pair, sealed, bytes("payments-prod-api/" + NAME)))
                .isInstanceOf(InvalidCipherTextException.class);
    }

    @Test
    void aNamespaceWideValueUnsealsForAnyNameInItsNamespace() throws Exception {
        KeyPair pair = TestKeys.rsa(2048);
        String sealed = Sealer.seal(SealingKey.fromPem(TestKeys.pem(pair)), Scope.NAMESPACE_WIDE, NS, NAME, bytes("v"));

        assertThat(TestKeys.unseal(pair, sealed, Scope.NAMESPACE_WIDE.label(NS, "any-name"))).isEqualTo(bytes("v"));
        assertThatThrownBy(() -> TestKeys.unseal(pair, sealed, bytes("payments-prod-api")))
                .isInstanceOf(InvalidCipherTextException.class);
    }

    @Test
    void theLayoutIsLengthPrefixRsaCiphertextThenAesCiphertextAndTagInStandardBase64() {
        SealingKey key = TestKeys.key(4096);
        byte[] plaintext = bytes("x".repeat(300)); // long enough for base64's + and / to show up

        String sealed = Sealer.seal(key, Scope.STRICT, NS, NAME, plaintext);

        assertThat(sealed).matches("[A-Za-z0-9+/]+={0,2}");
        byte[] raw = Base64.getDecoder().decode(sealed);
        assertThat(((raw[0] & 0xff) << 8) | (raw[1] & 0xff)).isEqualTo(512);
        assertThat(raw).hasSize(2 + 512 + 300 + 16);
        assertThat(SealedValues.check(key, sealed)).isEqualTo(sealed);
    }

    @Test
    void anEmptyValueSealsToPrefixKeyAndTagOnly() throws Exception {
        KeyPair pair = TestKeys.rsa(2048);
        String sealed = Sealer.seal(SealingKey.fromPem(TestKeys.pem(pair)), Scope.CLUSTER_WIDE, null, null, new byte[0]);

        assertThat(Base64.getDecoder().decode(sealed)).hasSize(2 + 256 + 16);
        assertThat(TestKeys.unseal(pair, sealed, new byte[0])).isEmpty();
    }

    @Test
    void sealingTheSameValueTwiceGivesDifferentValues() {
        SealingKey key = TestKeys.key(2048);
        assertThat(Sealer.seal(key, Scope.STRICT, NS, NAME, bytes("same")))
                .isNotEqualTo(Sealer.seal(key, Scope.STRICT, NS, NAME, bytes("same")));
    }

    @Test
    void thePlaintextArrayIsZeroedAfterSealingAndAfterAFailure() {
        byte[] plaintext = bytes("hunter2");
        Sealer.seal(TestKeys.key(2048), Scope.STRICT, NS, NAME, plaintext);
        assertThat(plaintext).containsOnly(0);

        byte[] refused = bytes("hunter2");
        assertThatThrownBy(() -> Sealer.seal(TestKeys.key(2048), Scope.STRICT, "Not A Namespace", NAME, refused))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(refused).containsOnly(0);
    }

    @Test
    void theSessionKeyIsNotSealedWithJavasOaepShortcutWhoseMgf1UsesSha1() throws Exception {
        KeyPair pair = TestKeys.rsa(2048);
        String sealed = Sealer.seal(SealingKey.fromPem(TestKeys.pem(pair)), Scope.CLUSTER_WIDE, null, null, bytes("v"));
        byte[] raw = Base64.getDecoder().decode(sealed);

        Cipher shortcut = Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
        shortcut.init(Cipher.DECRYPT_MODE, pair.getPrivate());
        assertThatThrownBy(() -> shortcut.doFinal(raw, 2, 256)).isInstanceOf(javax.crypto.BadPaddingException.class);

        Cipher right = Cipher.getInstance("RSA/ECB/OAEPPadding");
        right.init(Cipher.DECRYPT_MODE, pair.getPrivate(), Sealer.oaep(new byte[0]));
        assertThat(right.doFinal(raw, 2, 256)).hasSize(32);
    }

    @Test
    void theScopeNeedsAValidNamespaceAndForStrictAValidName() {
        SealingKey key = TestKeys.key(2048);
        assertThatThrownBy(() -> Sealer.seal(key, Scope.STRICT, NS, "Bad_Name", bytes("v")))
                .hasMessageContaining("'Bad_Name' is not a DNS-1123 subdomain");
        assertThatThrownBy(() -> Sealer.seal(key, Scope.NAMESPACE_WIDE, null, NAME, bytes("v")))
                .hasMessageContaining("is not a DNS-1123 label");
        assertThat(Sealer.seal(key, Scope.NAMESPACE_WIDE, NS, null, bytes("v"))).isNotBlank();
    }
}
