package dev.paver.core.secret;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FingerprintTest {

    @Test
    void isSha256AndTheFirst12HexCharactersOfTheDigest() {
        // SHA-256("hello") = 2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824
        assertThat(Fingerprint.of("hello".getBytes(StandardCharsets.UTF_8))).isEqualTo("sha256:2cf24dba5fb0");
        // SHA-256("") = e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
        assertThat(Fingerprint.of(new byte[0])).isEqualTo("sha256:e3b0c44298fc");
    }

    @Test
    void leavesTheArrayAsItWas() {
        byte[] value = "hello".getBytes(StandardCharsets.UTF_8);
        Fingerprint.of(value);
        assertThat(value).isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    }
}
