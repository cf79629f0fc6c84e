package dev.paver.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.config.InvalidSettingException;
import dev.paver.conversation.GitHubStandIn;
import dev.paver.conversation.Testbed;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.RepositoryPort.RepositoryException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Paver as a GitHub App installation (paver.github.app-id, a private key file as GitHub issues it, the installation
 * found from the organization) against a GitHub stand-in that checks the App's JWT and expires installation tokens
 * on its own clock: several create-service runs across several token expiries never meet a 401.
 *
 * <p>How expiries are made to happen within seconds: github-api (1.330, {@code AppInstallationAuthorizationProvider})
 * asks for a new installation token once its clock passes GitHub's {@code expires_at} minus 5 minutes. The
 * stand-in's clock runs {@value #LEAD_SECONDS} s ahead of Paver's and lets a token live {@value #LIFETIME_SECONDS} s
 * on it, so Paver uses each token for 3 s and the stand-in refuses it 3 s later: a client that kept a token past
 * github-api's margin would meet the stand-in's 401 within the test.
 */
class GitHubAppAuthenticationTest {

    static final int LIFETIME_SECONDS = 6;
    /** Just under github-api's 5-minute refresh margin. */
    static final int LEAD_SECONDS = 5 * 60 - 3;
    static final String APP_ID = "104729";

    static KeyPair keys;

    @TempDir
    Path tmp;

    @BeforeAll
    static void appKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keys = generator.generateKeyPair();
    }

    @Test
    void runsAcrossSeveralTokenExpiriesNeverMeetA401() throws Exception {
        Clock githubClock = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(LEAD_SECONDS));
        try (Testbed testbed = new Testbed(tmp, false);
             GitHubStandIn github = new GitHubStandIn("acme", githubClock)) {
            github.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG);
            github.requireApp(APP_ID, keys.getPublic(), 4242, Duration.ofSeconds(LIFETIME_SECONDS));
            testbed.property("paver.github.app-id", APP_ID);
            testbed.property("paver.github.private-key-file", pkcs1(tmp.resolve("paver-app.private-key.pem")).toString());
            testbed.property("paver.github.api-url", github.baseUrl());
            testbed.property("paver.github.organization", "acme");
            testbed.property("paver.github.cache-dir", tmp.resolve("github-cache").toString());
            testbed.property("paver.github.content-per-minute", "80");
            testbed.startPaver();

            List<String> services = List.of("api", "ledger", "billing");
            for (int i = 0; i < services.size(); i++) {
                int tokensBefore = github.tokensIssued();
                testbed.slashCommand("C0PAYMENTS", "U0DANA", "dana", "/platform create-service " + services.get(i)
                        + " --system checkout --owner team-payments --profile small", "T" + i, "valid");
                int opened = 2 * (i + 1);
                assertThat(Testbed.eventually(() -> github.openPullRequests() == opened, Duration.ofSeconds(60)))
                        .as("both pull requests of run %d open", i + 1).isTrue();
                // the next run starts on a later token; meanwhile open pull requests are polled every 200 ms
                assertThat(Testbed.eventually(() -> github.tokensIssued() > Math.max(tokensBefore, 1), Duration.ofSeconds(10)))
                        .as("a new installation token after run %d", i + 1).isTrue();
            }

            assertThat(github.expiredTokenAnswers()).as("requests sent with an expired token").isZero();
            assertThat(github.unauthorizedAnswers()).as("401 answers of any kind").isZero();
            assertThat(github.jwtRefusals()).isZero();
            assertThat(github.tokensIssued()).as("tokens issued: several expiries passed").isGreaterThanOrEqualTo(4);
            assertThat(github.requestsByKind()).containsKey("GET /orgs/{org}/installation");
            assertThat(failures(testbed)).as("no run said it failed").isEmpty();
        }
    }

    @Test
    void theStandInRefusesATokenPastItsExpiryTimeSoTheTestAboveCanFail() throws Exception {
        Clock githubClock = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(LEAD_SECONDS));
        try (GitHubStandIn github = new GitHubStandIn("acme", githubClock)) {
            github.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG);
            github.requireApp(APP_ID, keys.getPublic(), 4242, Duration.ofSeconds(2));
            // a client that keeps the first installation token: github-api's provider with a key, asked once
            var provider = GitHubAppAuthorization.installation(APP_ID, pkcs1(tmp.resolve("key.pem")), 4242L, "acme");
            GitHubRepositories once = GitHubRepositories.connect(github.baseUrl(), provider, "acme", "main",
                    GitHubLimits.defaults(), null, new SimpleMeterRegistry());
            assertThat(once.readFiles("payments-gitops", "")).isNotEmpty();
            String token = provider.getEncodedAuthorization().substring("token ".length());
            Thread.sleep(2500);
            GitHubRepositories stale = GitHubRepositories.connect(github.baseUrl(), token, "acme", "main");
            assertThatThrownBy(() -> stale.readFiles("payments-gitops", ""))
                    .isInstanceOf(RepositoryException.class).hasMessageContaining("HTTP 401")
                    .hasMessageNotContaining(token);
            assertThat(github.expiredTokenAnswers()).isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void anAppNotInstalledOnTheOrganizationOrAWrongKeySaysWhatToDo() throws Exception {
        try (GitHubStandIn github = new GitHubStandIn("acme", Clock.systemUTC())) {
            github.seed("payments-gitops", GoldenPathFixtures.CHECKOUT_CATALOG);
            github.requireApp(APP_ID, keys.getPublic(), 4242, Duration.ofHours(1));
            GitHubRepositories elsewhere = GitHubRepositories.connect(github.baseUrl(),
                    GitHubAppAuthorization.installation(APP_ID, pkcs1(tmp.resolve("key.pem")), null, "globex"), "globex",
                    "main", GitHubLimits.defaults(), null, new SimpleMeterRegistry());
            assertThatThrownBy(() -> elsewhere.readFiles("payments-gitops", "")).isInstanceOf(RepositoryException.class)
                    .hasMessageStartingWith("GitHub App " + APP_ID + " is not installed on organization globex (HTTP 404)");

            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair other = generator.generateKeyPair();
            Path otherKey = tmp.resolve("other.pem");
            Files.writeString(otherKey, "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder().encodeToString(other.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
            GitHubRepositories wrongKey = GitHubRepositories.connect(github.baseUrl(),
                    GitHubAppAuthorization.installation(APP_ID, otherKey, 4242L, "acme"), "acme", "main",
                    GitHubLimits.defaults(), null, new SimpleMeterRegistry());
            assertThatThrownBy(() -> wrongKey.readFiles("payments-gitops", "")).isInstanceOf(RepositoryException.class)
                    .hasMessageContaining("GitHub refused the JSON web token of GitHub App " + APP_ID + " (HTTP 401)")
                    .hasMessageContaining("paver.github.private-key-file");
            assertThat(github.jwtRefusals()).isEqualTo(1);
            assertThat(github.tokensIssued()).isZero();
        }
    }

    @Test
    void readsTheKeyAsGitHubIssuesItAndAsPkcs8() throws Exception {
        assertThat(GitHubAppAuthorization.privateKey(pkcs1(tmp.resolve("pkcs1.pem")))).isEqualTo(keys.getPrivate());
        Path pkcs8 = tmp.resolve("pkcs8.pem");
        Files.writeString(pkcs8, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(keys.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        assertThat(GitHubAppAuthorization.privateKey(pkcs8)).isEqualTo(keys.getPrivate());
    }

    @Test
    void aKeyFileThatIsNotAKeySaysWhichSettingAndNeverShowsTheContent() throws Exception {
        Path wrong = tmp.resolve("wrong.pem");
        String content = "-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0LWJ1dC1ub3QtYS1rZXk=\n-----END RSA PRIVATE KEY-----\n";
        Files.writeString(wrong, content);
        assertThatThrownBy(() -> GitHubAppAuthorization.privateKey(wrong)).isInstanceOf(InvalidSettingException.class)
                .hasMessageContaining("paver.github.private-key-file").hasMessageNotContaining("c2VjcmV0");
        assertThatThrownBy(() -> GitHubAppAuthorization.privateKey(tmp.resolve("absent.pem")))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> GitHubAppAuthorization.installation("paver-bot", pkcs1(tmp.resolve("k.pem")), null, "acme"))
                .isInstanceOf(InvalidSettingException.class).hasMessageContaining("paver.github.app-id");
    }

    /** The App's private key as GitHub's "Generate a private key" downloads it: PEM, PKCS#1. */
    static Path pkcs1(Path file) throws Exception {
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(keys.getPrivate());
        }
        assertThat(pem.toString()).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(keys.getPrivate()).isInstanceOf(RSAPrivateCrtKey.class);
        Files.writeString(file, pem.toString());
        return file;
    }

    private static List<String> failures(Testbed testbed) {
        return testbed.slack().calls().stream().map(c -> String.valueOf(c.params()))
                .filter(t -> t.contains("failed") || t.contains("Failed") || t.contains("HTTP 401")).toList();
    }

}
