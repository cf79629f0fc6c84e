package dev.paver.git;

import dev.paver.config.InvalidSettingException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Collection;
import java.util.List;
import org.apache.sshd.common.config.keys.loader.pem.PEMResourceParserUtils;
import org.kohsuke.github.GHFileNotFoundException;
import org.kohsuke.github.HttpException;
import org.kohsuke.github.authorization.AppInstallationAuthorizationProvider;
import org.kohsuke.github.authorization.AuthorizationProvider;
import org.kohsuke.github.extras.authorization.JWTTokenProvider;

/**
 * GitHub App authentication for github-api: every request carries the current installation token, which github-api's
 * {@link AppInstallationAuthorizationProvider} asks for again five minutes before GitHub's {@code expires_at}
 * (installation tokens live one hour), authenticating that request with a JWT that {@link JWTTokenProvider} signs
 * with the App's private key (RS256, issuer the App id, valid 8 minutes, renewed 2 minutes before it ends). GitHub
 * docs: "Authenticating as a GitHub App installation", "Generating a JSON Web Token (JWT) for a GitHub App".
 *
 * <p>The key is read from a PEM file in either form: PKCS#1 ({@code -----BEGIN RSA PRIVATE KEY-----}, what GitHub's
 * "Generate a private key" downloads; the JDK reads only PKCS#8) or PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}),
 * parsed by Apache MINA sshd's PEM parsers, already on the classpath for JGit's SSH transport. Neither the key nor a
 * token is ever part of a message or a log line.
 */
public final class GitHubAppAuthorization {

    private GitHubAppAuthorization() {
    }

    /**
     * The authorization of the App's installation: {@code installationId} when given ("Get an installation for the
     * authenticated app"), else the installation in {@code organization} ("Get an organization installation for the
     * authenticated app", {@code GET /orgs/{org}/installation}), looked up again at every token refresh. No request
     * is made here.
     *
     * @param appId          the App's id, digits
     * @param privateKeyFile the App's private key, PEM (PKCS#1 or PKCS#8)
     * @param installationId null: discovered from {@code organization}
     * @throws InvalidSettingException when the App id is not a number, the file is missing or unreadable, or holds no
     *                                 RSA private key
     */
    public static AuthorizationProvider installation(String appId, Path privateKeyFile, Long installationId,
                                                     String organization) {
        if (!appId.trim().matches("[0-9]{1,19}")) {
            throw new InvalidSettingException("paver.github.app-id (PAVER_GITHUB_APP_ID) is not a number: give the App ID "
                    + "from the GitHub App's settings page (General, About), not its name or client id");
        }
        JWTTokenProvider jwt = new JWTTokenProvider(appId.trim(), privateKey(privateKeyFile));
        String id = appId.trim();
        return installationId != null
                ? new Installation(app -> app.getInstallationById(installationId), jwt, id,
                        "installation " + installationId + " (paver.github.installation-id)")
                : new Installation(app -> app.getInstallationByOrganization(organization), jwt, id,
                        "organization " + organization);
    }

    /**
     * An installation token could not be had: GitHub refused the App's JWT, or the App is not installed where Paver
     * looks. The message says which and what to do; it holds no key, JWT or token.
     */
    public static final class InstallationUnavailable extends IOException {
        InstallationUnavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** github-api's provider, with its failures turned into {@link InstallationUnavailable} (rate limits stay as they are). */
    private static final class Installation extends AppInstallationAuthorizationProvider {
        private final String appId;
        private final String where;

        Installation(AppInstallationProvider installation, AuthorizationProvider jwt, String appId, String where) {
            super(installation, jwt);
            this.appId = appId;
            this.where = where;
        }

        @Override
        public String getEncodedAuthorization() throws IOException {
            try {
                return super.getEncodedAuthorization();
            } catch (GitHubLimits.Wait wait) {
                throw wait;
            } catch (GHFileNotFoundException e) {
                throw new InstallationUnavailable("GitHub App " + appId + " is not installed on " + where
                        + " (HTTP 404): install the App on the organization (its settings page, Install App), or correct "
                        + "paver.github.organization or paver.github.installation-id", e);
            } catch (HttpException e) {
                if (e.getResponseCode() == 401) {
                    throw new InstallationUnavailable("GitHub refused the JSON web token of GitHub App " + appId
                            + " (HTTP 401): check paver.github.app-id and that paver.github.private-key-file is a current "
                            + "private key of that App (keys deleted on the App's settings page stop working at once)", e);
                }
                throw new InstallationUnavailable("GitHub did not give GitHub App " + appId + " an installation token for "
                        + where + " (HTTP " + e.getResponseCode() + "); see docs/operations.md", e);
            }
        }
    }

    /**
     * The RSA private key of a PEM file, PKCS#1 or PKCS#8.
     *
     * @throws InvalidSettingException when the file is missing or unreadable, or holds no RSA private key; the message
     *                                 names the setting and the file, never the content
     */
    static PrivateKey privateKey(Path file) {
        String setting = "paver.github.private-key-file (PAVER_GITHUB_PRIVATE_KEY_FILE) " + file;
        try {
            // sshd's own PEM parsers (PKCS#1 "RSA PRIVATE KEY" and PKCS#8 "PRIVATE KEY") on the JDK's KeyFactory, the
            // same with or without BouncyCastle on the classpath
            Collection<KeyPair> pairs = PEMResourceParserUtils.PROXY.loadKeyPairs(null, file, null);
            for (KeyPair pair : pairs == null ? List.<KeyPair>of() : pairs) {
                if (pair.getPrivate() instanceof RSAPrivateKey key) {
                    return key;
                }
            }
        } catch (NoSuchFileException e) {
            throw new InvalidSettingException(setting + " does not exist: mount the GitHub App's private key (the .pem "
                    + "file from the App's settings page, 'Generate a private key') there");
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new InvalidSettingException(setting + " cannot be read as a PEM private key (" + e.getClass().getSimpleName()
                    + "): give the .pem file that GitHub generated for the App, unchanged", null);
        }
        throw new InvalidSettingException(setting + " holds no RSA private key: give the .pem file that GitHub generated "
                + "for the App (-----BEGIN RSA PRIVATE KEY-----, or -----BEGIN PRIVATE KEY----- after conversion to PKCS#8)");
    }
}
