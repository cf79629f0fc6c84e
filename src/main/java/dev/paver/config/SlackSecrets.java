package dev.paver.config;

/** The Slack signing secret, optional in Socket Mode ({@link RequiredSettings} checks what is required at start-up). */
public final class SlackSecrets {

    private SlackSecrets() {
    }

    /** The signing secret, or null in Socket Mode without one (the HTTP endpoint is then off). */
    public static String signingSecret(PaverProperties.Slack slack) {
        return slack.signingSecret() == null || slack.signingSecret().isBlank() ? null : slack.signingSecret();
    }
}
