package dev.paver.config;

/** The Slack credentials, required at start-up with a message that says where to set them. */
final class SlackSecrets {

    private SlackSecrets() {
    }

    static String botToken(PaverProperties.Slack slack) {
        return require(slack.botToken(), "paver.slack.bot-token (PAVER_SLACK_BOT_TOKEN)", "the Bot User OAuth Token, xoxb-...");
    }

    static String signingSecret(PaverProperties.Slack slack) {
        return require(slack.signingSecret(), "paver.slack.signing-secret (PAVER_SLACK_SIGNING_SECRET)",
                "the Signing Secret from the app's Basic Information page");
    }

    private static String require(String value, String key, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(key + " is not set: give " + what
                    + " as an environment variable or a mounted secret file. See README.md, 'Connect a Slack workspace'.");
        }
        return value;
    }
}
