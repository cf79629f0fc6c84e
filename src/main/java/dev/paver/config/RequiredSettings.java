package dev.paver.config;

import dev.paver.PaverApplication;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Checks, before anything is created (no database, no repositories), that the settings Paver cannot run without
 * are there: the Slack bot token, and the signing secret unless Socket Mode is on. Runs after the configuration
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
        if (!missing.isEmpty()) {
            throw new MissingSettingsException(missing);
        }
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

        public MissingSettingsException(List<String> missing) {
            super("missing settings: " + missing);
            this.missing = List.copyOf(missing);
        }

        /** Each missing setting with where to find it. */
        public List<String> missing() {
            return missing;
        }
    }
}
