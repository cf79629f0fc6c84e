package dev.paver.config;

import dev.paver.PaverApplication;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.aot.AotDetector;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Checks, before anything is created (no database, no repositories), that the settings Paver cannot run without
 * are there: the Slack bot token, the signing secret unless Socket Mode is on, a GitHub App's private key, and, with
 * {@code paver.embedded-defaults: refuse} (a deployment), what replaces each embedded default: where the repositories
 * live and a database other than H2 ({@link #missingForProduction}); with the ahead-of-time processed context, a
 * management port of its own ({@link #aheadOfTimeManagementPort}). Runs after the configuration
 * (files, environment, mounted secrets) is read. Registered in {@code META-INF/spring.factories}.
 */
public final class RequiredSettings implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

    @Override
    public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
        if (!event.getSpringApplication().getAllSources().contains(PaverApplication.class)) {
            return; // a command such as audit-export needs no Slack
        }
        Environment env = event.getEnvironment();
        List<String> missing = new ArrayList<>();
        if (blank(env.getProperty("paver.slack.bot-token"))) {
            missing.add("paver.slack.bot-token (PAVER_SLACK_BOT_TOKEN): the Bot User OAuth Token, xoxb-..., from the app's "
                    + "OAuth & Permissions page");
        }
        if (blank(env.getProperty("paver.slack.signing-secret")) && blank(env.getProperty("paver.slack.app-token"))) {
            missing.add("paver.slack.signing-secret (PAVER_SLACK_SIGNING_SECRET): the Signing Secret from the app's Basic "
                    + "Information page (or paver.slack.app-token, xapp-..., for Socket Mode)");
        }
        if (blank(env.getProperty("paver.github.private-key-file")) && !blank(env.getProperty("paver.github.app-id"))) {
            missing.add("paver.github.private-key-file (PAVER_GITHUB_PRIVATE_KEY_FILE): the GitHub App's private key, "
                    + "a .pem file from the App's settings page ('Generate a private key'), mounted into the container");
        }
        if (!blank(env.getProperty("paver.github.token")) && !blank(env.getProperty("paver.github.app-id"))) {
            throw new InvalidSettingException("both paver.github.token and paver.github.app-id are set: Paver acts "
                    + "either with a token or as a GitHub App installation; remove one (PAVER_GITHUB_TOKEN or "
                    + "PAVER_GITHUB_APP_ID)");
        }
        if (AotDetector.useGeneratedArtifacts()) {
            aheadOfTimeManagementPort(env);
        }
        boolean refuse = refusesEmbeddedDefaults(env);
        if (refuse) {
            missing.addAll(missingForProduction(env));
        }
        if (!missing.isEmpty()) {
            throw new MissingSettingsException(missing, refuse);
        }
    }

    /**
     * {@code paver.embedded-defaults}: {@code allow} (the default: a laptop and the demo run on local repositories
     * seeded with the demo's {@code payments-gitops} and an H2 file database) or {@code refuse} (what
     * {@code deploy/kubernetes} sets: each of those defaults must be replaced by a setting).
     *
     * @throws InvalidSettingException for any other value
     */
    static boolean refusesEmbeddedDefaults(Environment env) {
        String value = env.getProperty("paver.embedded-defaults", "allow").trim().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "allow", "" -> false;
            case "refuse" -> true;
            default -> throw new InvalidSettingException("paver.embedded-defaults (PAVER_EMBEDDED_DEFAULTS) is '" + value
                    + "': give refuse (a deployment: no demo repositories, no H2) or allow (a laptop, the demo)");
        };
    }

    /**
     * With {@code -Dspring.aot.enabled=true} (the image's command, {@code deploy/Dockerfile}): the context was processed
     * ahead of time when the jar was built, with health and probes on a management port of their own, as {@code deploy/}
     * runs them; Spring Boot then serves them on no other. So {@code management.server.port} must be a port (0: any
     * free one) other than {@code server.port}.
     *
     * @throws InvalidSettingException when it is unset, not a port, negative (turned off) or {@code server.port}'s
     */
    static void aheadOfTimeManagementPort(Environment env) {
        String management = env.getProperty("management.server.port");
        String server = env.getProperty("server.port", "8080").trim();
        Integer port = port(management);
        Integer serverPort = port(server);
        if (port == null || port < 0 || port > 65535 || (port != 0 && port.equals(serverPort))) {
            throw new InvalidSettingException("management.server.port (MANAGEMENT_SERVER_PORT) is "
                    + (blank(management) ? "not set" : "'" + management.trim() + "'") + ", server.port is '" + server
                    + "': this start uses the context processed ahead of time (-Dspring.aot.enabled=true, the image's "
                    + "command), built with health and probes on a port of their own; set MANAGEMENT_SERVER_PORT to "
                    + "another port, e.g. 8081 as deploy/ does, or start without -Dspring.aot.enabled=true");
        }
    }

    /** {@code value} as a number, or null when it is blank or not one. */
    private static Integer port(String value) {
        try {
            return blank(value) ? null : Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** With {@code paver.embedded-defaults: refuse}: each embedded default still in use, as the setting to give. */
    static List<String> missingForProduction(Environment env) {
        List<String> missing = new ArrayList<>();
        boolean github = !blank(env.getProperty("paver.github.token")) || !blank(env.getProperty("paver.github.app-id"));
        if (!github && blank(env.getProperty("paver.git.remote-url"))) {
            missing.add("paver.github.token (PAVER_GITHUB_TOKEN), or paver.github.app-id with paver.github.private-key-file "
                    + "(PAVER_GITHUB_APP_ID, PAVER_GITHUB_PRIVATE_KEY_FILE), or paver.git.remote-url (PAVER_GIT_REMOTE_URL): "
                    + "where the repositories live; without one Paver would use local repositories seeded with the demo's "
                    + "payments-gitops");
        }
        if (github && blank(env.getProperty("paver.github.organization"))) {
            missing.add("paver.github.organization (PAVER_GITHUB_ORGANIZATION): the GitHub organization that owns the "
                    + "GitOps and application repositories");
        }
        String url = env.getProperty("spring.datasource.url");
        if (blank(url) || url.trim().toLowerCase(Locale.ROOT).startsWith("jdbc:h2:")) {
            missing.add("spring.datasource.url (SPRING_DATASOURCE_URL): the PostgreSQL database, "
                    + "jdbc:postgresql://host:5432/paver, with SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD; "
                    + "the embedded H2 file database is refused (it lives and dies with the pod)");
        }
        return missing;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** Settings Paver cannot start without; the message lists each with where to find its value. */
    public static final class MissingSettingsException extends RuntimeException {
        private final List<String> missing;

        private final boolean embeddedDefaultsRefused;

        public MissingSettingsException(List<String> missing) {
            this(missing, false);
        }

        /** @param embeddedDefaultsRefused true when {@code paver.embedded-defaults: refuse} asked for some of them */
        public MissingSettingsException(List<String> missing, boolean embeddedDefaultsRefused) {
            super("missing settings: " + missing);
            this.missing = List.copyOf(missing);
            this.embeddedDefaultsRefused = embeddedDefaultsRefused;
        }

        /** True when {@code paver.embedded-defaults} is {@code refuse}. */
        public boolean embeddedDefaultsRefused() {
            return embeddedDefaultsRefused;
        }

        /** Each missing setting with where to find it. */
        public List<String> missing() {
            return missing;
        }
    }
}
