package dev.paver.git;

import dev.paver.config.EmbeddedRepositories;
import dev.paver.config.InvalidSettingException;
import dev.paver.config.PaverProperties;
import dev.paver.core.goldenpath.RepositoryPort;
import dev.paver.core.run.RunEngine;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.eclipse.jgit.transport.UsernamePasswordCredentialsProvider;
import org.kohsuke.github.authorization.AuthorizationProvider;
import org.kohsuke.github.authorization.ImmutableAuthorizationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where repositories live: GitHub when {@code paver.github.token} or a GitHub App ({@code paver.github.app-id}) is set
 * (through the REST API only: no git transport, so JGit needs no GitHub credentials), else plain git at
 * {@code paver.git.remote-url}, else the embedded repositories under {@code paver.git.local-root}.
 */
@Configuration(proxyBeanMethods = false)
public class GitConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(GitConfiguration.class);

    /**
     * @throws IllegalStateException   when a GitHub token or App is set without {@code paver.github.organization}
     * @throws InvalidSettingException when both a token and an App are set, an App without its private key file, or
     *                                 the App's id or key is unusable ({@link GitHubAppAuthorization#installation})
     * @throws InvalidSettingException when {@code paver.github.content-per-minute} or {@code -per-hour} is above
     *                                 GitHub's secondary limits (80, 500) or below 1
     */
    @Bean
    RepositoryPort repositories(PaverProperties properties, Clock clock, MeterRegistry registry) {
        PaverProperties.Github github = properties.github();
        if (github.enabled()) {
            if (github.hasToken() && github.app()) {
                throw new InvalidSettingException("both paver.github.token and paver.github.app-id are set: Paver acts "
                        + "either with a token or as a GitHub App installation; remove one (PAVER_GITHUB_TOKEN or "
                        + "PAVER_GITHUB_APP_ID)");
            }
            String credential = github.app() ? "paver.github.app-id" : "paver.github.token";
            if (github.organization() == null || github.organization().isBlank()) {
                throw new IllegalStateException(credential + " is set but paver.github.organization "
                        + "(PAVER_GITHUB_ORGANIZATION) is not: name the organization that owns the repositories");
            }
            if (github.app() && (github.privateKeyFile() == null || github.privateKeyFile().isBlank())) {
                throw new InvalidSettingException("paver.github.app-id is set but paver.github.private-key-file "
                        + "(PAVER_GITHUB_PRIVATE_KEY_FILE) is not: mount the App's private key (.pem) and name the file");
            }
            AuthorizationProvider authorization = github.app()
                    ? GitHubAppAuthorization.installation(github.appId(), Path.of(github.privateKeyFile()),
                            github.installationId(), github.organization())
                    : ImmutableAuthorizationProvider.fromOauthToken(github.token());
            LOG.info("repositories on GitHub ({}), organization {}, as {}", github.apiUrl(), github.organization(),
                    github.app() ? "GitHub App " + github.appId().trim() + ", installation "
                            + (github.installationId() == null ? "of the organization" : github.installationId())
                            : "the token's user");
            GitHubLimits limits;
            try {
                limits = new GitHubLimits(github.contentPerMinute(), github.contentPerHour(), Duration.ofSeconds(5), clock,
                        GitHubLimits.Sleeper.REAL);
            } catch (IllegalArgumentException e) {
                throw new InvalidSettingException(e.getMessage() + "; leave it unset for Paver's default", e);
            }
            LOG.info("GitHub content-creating requests paced at {} a minute and {} an hour", github.contentPerMinute(),
                    github.contentPerHour());
            return GitHubRepositories.connect(github.apiUrl(), authorization, github.organization(),
                    properties.git().defaultBranch(), limits, Path.of(github.cacheDir()), registry);
        }
        PaverProperties.Git git = properties.git();
        boolean remote = git.remoteUrl() != null && !git.remoteUrl().isBlank();
        String base = remote ? git.remoteUrl() : git.localRoot();
        var credentials = git.username() == null || git.username().isBlank() ? null
                : new UsernamePasswordCredentialsProvider(git.username(), git.password() == null ? "" : git.password());
        JGitRepositories repositories = new JGitRepositories(base, Path.of(git.workDir()), git.defaultBranch(), credentials,
                git.repositories() == null ? List.of() : git.repositories());
        if (!remote) {
            EmbeddedRepositories.seed(repositories);
        } else if (!repositories.createsRepositories()) {
            LOG.info("repositories at {}: plain git cannot create repositories, so a run that needs a new one asks for it "
                    + "in its thread and waits until it exists", git.remoteUrl());
        }
        return repositories;
    }

    /** {@code POST /github/webhook}: merged pull requests wake their runs at once. */
    @Bean
    GitHubWebhookController gitHubWebhook(PaverProperties properties, RunEngine engine) {
        return new GitHubWebhookController(properties.github().webhookSecret(), engine::wake);
    }
}
