package dev.paver.core.convention;

/**
 * One broken platform rule, as the user sees it.
 *
 * @param file    repository-relative path of the file at fault, or {@code null} for a request parameter
 * @param line    1-based line of the offending document or field, {@code 0} when unknown
 * @param rule    the rule's short id, e.g. {@code dns-label}, {@code required-label}, {@code resources}
 * @param subject what was checked: a parameter name or a manifest's {@code Kind/name}
 * @param message what is wrong and what to do, naming the offending value
 */
public record Violation(String file, int line, String rule, String subject, String message) {

    /** A violation of a request parameter (no file involved). */
    public static Violation ofParameter(String parameter, String rule, String message) {
        return new Violation(null, 0, rule, parameter, message);
    }

    /** {@code file:line: rule: message}, the format of the conventions gate and of the Slack thread. */
    public String describe() {
        String where = file == null ? subject : file + (line > 0 ? ":" + line : "");
        return where + ": " + rule + ": " + message;
    }
}
