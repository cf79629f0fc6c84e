package dev.paver.config;

/**
 * A setting that is present but wrong (a key naming an unknown environment, a file that cannot be read, two choices
 * where one is allowed): the message names the key, what is wrong and what to do. Start-up fails with it, reported
 * without a stack trace by {@link InvalidSettingFailureAnalyzer}.
 */
public class InvalidSettingException extends IllegalStateException {

    /** @param message the key, what is wrong with it and what to do */
    public InvalidSettingException(String message) {
        super(message);
    }

    /** @param message the key, what is wrong with it and what to do; @param cause what failed underneath */
    public InvalidSettingException(String message, Throwable cause) {
        super(message, cause);
    }
}
