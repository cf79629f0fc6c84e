package dev.paver.slack;

import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the text of {@code /platform ...}: {@code <golden-path> [<positional>] [--name value | --name=value]...}.
 * Values may be quoted with {@code "..."}, {@code '...'} or the typographic quotes that Slack clients type
 * (“...”, ‘...’). A parser only parses:
 * it does no I/O and a person's mistake is a {@link Reply}, never an exception.
 */
public final class SlashCommandParser {

    private SlashCommandParser() {
    }

    /** The closed result of parsing. */
    public sealed interface ParseResult permits Help, Invoke, Reply, Audit {
    }

    /** {@code audit <key>}: show the audit log's newest entries about a key or service. */
    public record Audit(String query) implements ParseResult {
    }

    /** {@code help}, nothing, or an unknown sub-command: answer with the help text, with {@code problem} first. */
    public record Help(String problem) implements ParseResult {
    }

    /** Walk a golden path with these parameters (not yet checked). */
    public record Invoke(GoldenPath path, Map<String, String> parameters) implements ParseResult {
    }

    /** The text cannot be understood; tell the person why. */
    public record Reply(String text) implements ParseResult {
    }

    /**
     * Parses the text after the command ({@code text} of the slash command payload); never throws.
     *
     * @param command the slash command as configured, e.g. {@code /platform}, for usage lines
     */
    public static ParseResult parse(String text, GoldenPathCatalog paths, String command) {
        List<String> tokens;
        try {
            tokens = tokens(text == null ? "" : text);
        } catch (IllegalArgumentException e) {
            return new Reply(e.getMessage());
        }
        if (tokens.isEmpty() || tokens.get(0).equals("help") || tokens.get(0).equals("--help")) {
            return new Help("");
        }
        String sub = tokens.get(0);
        if (sub.equals("audit")) {
            return tokens.size() == 2 ? new Audit(tokens.get(1))
                    : new Reply("Usage: `" + command + " audit <key>`, e.g. `" + command + " audit payments-prod-api`");
        }
        GoldenPath path = paths.find(sub).orElse(null);
        if (path == null) {
            String shown = sub.length() > 40 ? sub.substring(0, 40) + "…" : sub;
            return new Help("There is no sub-command `" + SlackRenderer.escape(shown.replace("`", "'")) + "`.");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Parameter positional = path.parameters().positional();
        for (int i = 1; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (token.startsWith("--")) {
                String name = token.substring(2);
                String value;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                } else if (name.equals(dev.paver.core.run.Intake.DRY_RUN_PARAMETER)) {
                    value = "true";
                } else if (i + 1 < tokens.size() && !tokens.get(i + 1).startsWith("--")) {
                    value = tokens.get(++i);
                } else {
                    return new Reply("`--" + SlackRenderer.escape(name) + "` needs a value. Usage: `" + path.usage(command) + "`");
                }
                if (name.isEmpty()) {
                    return new Reply("A flag has no name. Usage: `" + path.usage(command) + "`");
                }
                name = parameterName(path, name);
                Parameter named = path.parameters().get(name);
                if (named != null && dev.paver.core.goldenpath.SecretParameters.isPlain(named)) {
                    return new Reply(":no_entry: Nothing was started: `--" + SlackRenderer.escape(name) + "` would put a plain "
                            + "secret on the command line, which Slack shows in the channel's input history and keeps. Leave it "
                            + "out and give the value in the form (`" + command + " " + path.id() + "` without `--" + name
                            + "` opens it), or seal it yourself with `kubeseal --raw` and give it as "
                            + sealedFlags(path) + ". Usage: `" + path.usage(command) + "`");
                }
                if (parameters.containsKey(name)) {
                    return new Reply("`--" + SlackRenderer.escape(name) + "` is given twice. Usage: `" + path.usage(command) + "`");
                }
                parameters.put(name, value);
            } else if (positional != null && !parameters.containsKey(positional.name())) {
                parameters.put(positional.name(), token);
            } else {
                return new Reply("Unexpected value `" + SlackRenderer.escape(token.replace("`", "'")) + "`. Usage: `" + path.usage(command) + "`");
            }
        }
        return new Invoke(path, parameters);
    }

    /**
     * The parameter a flag names: the flag itself, or for a kebab-case flag that names no parameter, its camelCase
     * form when that is one ({@code --sealed-value} for {@code sealedValue}, {@code --cost-center} for
     * {@code costCenter}).
     */
    static String parameterName(GoldenPath path, String flag) {
        if (path.parameters().get(flag) != null || !flag.contains("-")) {
            return flag;
        }
        StringBuilder camel = new StringBuilder();
        boolean upper = false;
        for (char c : flag.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return path.parameters().get(camel.toString()) != null ? camel.toString() : flag;
    }

    private static String sealedFlags(GoldenPath path) {
        List<String> flags = path.parameters().parameters().stream()
                .filter(p -> dev.paver.core.goldenpath.SecretParameters.SEALED.equals(p.convention()))
                .map(p -> "`--" + p.name() + "`").toList();
        return flags.isEmpty() ? "a sealed value" : String.join(" or ", flags);
    }

    /** Splits on white space, keeping quoted runs together. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        char quote = 0;
        boolean inToken = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote || (quote == '\u201c' && c == '\u201d') || (quote == '\u2018' && c == '\u2019')) {
                    quote = 0;
                } else {
                    current.append(c);
                }
            } else if (c == '"' || c == '\'' || c == '\u201c' || c == '\u2018') {
                quote = c;
                inToken = true;
            } else if (c == ' ' || c == '\t' || c == '\u00a0') {
                if (inToken) {
                    out.add(current.toString());
                    current.setLength(0);
                    inToken = false;
                }
            } else {
                current.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            char closing = quote == '\u201c' ? '\u201d' : quote == '\u2018' ? '\u2019' : quote;
            throw new IllegalArgumentException("A quote is not closed: add the closing " + closing + ".");
        }
        if (inToken) {
            out.add(current.toString());
        }
        return out;
    }
}
