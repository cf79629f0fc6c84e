package dev.paver.config;

/**
 * The Slack credentials. {@link RequiredSettings} has checked at start-up that they are there; these accessors
 * only read them.
 */
final class SlackSecrets {

    private SlackSecrets() {
    }

    static String botToken(PaverProperties.Slack slack) {
        return slack.botToken();
    }

    /** The signing secret, or null in Socket Mode without one (the HTTP endpoint is then off). */
    static String signingSecret(PaverProperties.Slack slack) {
        return slack.signingSecret() == null || slack.signingSecret().isBlank() ? null : slack.signingSecret();
    }
}
