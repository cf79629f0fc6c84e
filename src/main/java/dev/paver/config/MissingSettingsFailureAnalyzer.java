package dev.paver.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns missing settings into Spring Boot's short "APPLICATION FAILED TO START" report instead of a stack trace. */
public final class MissingSettingsFailureAnalyzer extends AbstractFailureAnalyzer<RequiredSettings.MissingSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, RequiredSettings.MissingSettingsException cause) {
        StringBuilder description = new StringBuilder("Paver cannot start without these settings"
                + (cause.embeddedDefaultsRefused() ? " (paver.embedded-defaults is refuse: no demo repositories, no H2):" : ":"));
        cause.missing().forEach(m -> description.append("\n  - ").append(m));
        return new FailureAnalysis(description.toString(),
                "Give them as environment variables or as files mounted under /run/secrets/ (one file per key, named "
                        + "like the key). To try Paver without Slack, run the demo instead: mvn -q test-compile exec:java@demo. "
                        + "See README.md, 'Connect a Slack workspace'"
                        + (cause.embeddedDefaultsRefused() ? ", 'Connect GitHub' and 'No silent demo in production'." : "."),
                cause);
    }
}
