package dev.paver.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a wrong setting into Spring Boot's short "APPLICATION FAILED TO START" report instead of a stack trace. */
public final class InvalidSettingFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSettingException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidSettingException cause) {
        return new FailureAnalysis("Paver cannot start with this setting: " + cause.getMessage(),
                "Correct the setting (environment variable, mounted file or application.yml). Every setting is in "
                        + "docs/configuration.md.", cause);
    }
}
