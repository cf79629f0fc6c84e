package dev.paver.core.goldenpath;

/**
 * Why a template under {@code templates/} does not load; the golden path is then turned off, the others load.
 *
 * @param file    the template's file, as {@code <templates folder name>/<folder>/template.yaml}
 * @param line    1-based line of the problem, 0 when unknown
 * @param id      the golden path it would have been: {@code metadata.name} when it could be read, else the folder
 * @param message what is wrong and, where it helps, what to write instead
 */
public record TemplateProblem(String file, int line, String id, String message) {

    /** {@code file:line: message}, the line left out when unknown (the format of compilers and of {@code validate}). */
    public String describe() {
        return file + (line > 0 ? ":" + line : "") + ": " + message;
    }
}
