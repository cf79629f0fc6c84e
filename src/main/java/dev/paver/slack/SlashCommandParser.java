package dev.paver.slack;

import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.Parameter;
import dev.paver.core.goldenpath.SecretParameters;
import dev.paver.core.run.Intake;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

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
    public sealed interface ParseResult permits Help, Invoke, Reply, Audit, Runs, Status, Revoke {
    }

    /** {@code revoke <key>}: end an elevation to that namespace now. */
    public record Revoke(String key) implements ParseResult {
    }

    /** {@code runs [<key or service>]}: list runs, the requester's own when {@code query} is empty. */
    public record Runs(String query) implements ParseResult {
    }

    /** {@code status <run id>}: one run's card, privately. */
    public record Status(String runId) implements ParseResult {
    }

    /** {@code audit <query>}: show the audit log's newest entries about a key, a service, a domain or a person. */
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
                    : new Reply("Usage: `" + command + " audit <key | service | domain | group | @person>`, e.g. `" + command
                    + " audit payments-prod-api`");
        }
        if (sub.equals("runs")) {
            return tokens.size() <= 2 ? new Runs(tokens.size() == 2 ? tokens.get(1) : "")
                    : new Reply("Usage: `" + command + " runs` (yours) or `" + command + " runs <key or service>`, e.g. `"
                    + command + " runs payments-prod-api`");
        }
        if (sub.equals("revoke")) {
            return tokens.size() == 2 ? new Revoke(tokens.get(1))
                    : new Reply("Usage: `" + command + " revoke <key>`, e.g. `" + command + " revoke payments-prod-api`: ends "
                    + "your access to that namespace now (an approver of its domain ends everyone's)");
        }
        if (sub.equals("status")) {
            return tokens.size() == 2 ? new Status(tokens.get(1))
                    : new Reply("Usage: `" + command + " status <run id>`, with the id that the run's card and `" + command
                    + " runs` show");
        }
        GoldenPath path = paths.find(sub).orElse(null);
        if (path == null && paths.turnedOff().contains(sub)) {
            return new Help("The golden path `" + SlackRenderer.escape(sub) + "` is turned off: its template does not load. The platform team "
                    + "finds why in Paver's start-up log, or with `java -jar paver.jar templates check`.");
        }
        if (path == null) {
            if (flag(sub) != null) {
                return new Help("A command starts with a golden path, not a flag.");
            }
            String shown = sub.length() > 40 ? sub.substring(0, 40) + "…" : sub;
            return new Help("There is no sub-command `" + SlackRenderer.escape(shown.replace("`", "'")) + "`.");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        Parameter positional = path.parameters().positional();
        for (int i = 1; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String flag = flag(token);
            if (flag != null) {
                String name = flag;
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                Parameter plain = plainSecret(path, name);
                if (plain != null) {
                    // before anything that could quote the flag or its value
                    return new Reply(":no_entry: Nothing was started: `--" + plain.name() + "` would put a plain "
                            + "secret on the command line, which Slack shows in the channel's input history and keeps. Leave it "
                            + "out and give the value in the form (`" + command + " " + path.id() + "` without `--" + plain.name()
                            + "` opens it), or seal it yourself with `kubeseal --raw` and give it as "
                            + sealedFlags(path) + ". Usage: `" + path.usage(command) + "`");
                }
                if (name.isEmpty()) {
                    return new Reply("A flag has no name. Usage: `" + path.usage(command) + "`");
                }
                if (!FLAG_NAME.matcher(name).matches()) {
                    return new Reply("A flag's name is letters, digits and '-', then `=value` or a space and the value (e.g. "
                            + "`--environment dev`); word " + i + " is not one. Usage: `" + path.usage(command) + "`");
                }
                if (value != null) {
                    // --name=value
                } else if (name.equals(Intake.DRY_RUN_PARAMETER)) {
                    value = "true";
                } else if (i + 1 < tokens.size() && flag(tokens.get(i + 1)) == null) {
                    value = tokens.get(++i);
                } else {
                    return new Reply("`--" + name + "` needs a value. Usage: `" + path.usage(command) + "`");
                }
                name = parameterName(path, name);
                if (parameters.containsKey(name)) {
                    return new Reply("`--" + SlackRenderer.escape(name) + "` is given twice. Usage: `" + path.usage(command) + "`");
                }
                parameters.put(name, value);
            } else if (positional != null && !parameters.containsKey(positional.name())) {
                parameters.put(positional.name(), token);
            } else if (hasPlainSecret(path)) {
                // never quoted: it may be a secret typed where a flag was meant
                return new Reply("Unexpected value: word " + i + " after `" + path.id() + "`. Usage: `" + path.usage(command) + "`");
            } else {
                return new Reply("Unexpected value `" + SlackRenderer.escape(token.replace("`", "'")) + "`. Usage: `" + path.usage(command) + "`");
            }
        }
        return new Invoke(path, parameters);
    }

    /** What a flag's name is made of: {@code environment}, {@code sealed-value}, {@code costCenter}. */
    private static final Pattern FLAG_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    /**
     * The text after the dashes when a token is a flag, else null: {@code --name}, and as people also type it (or
     * their keyboards turn {@code --} into a dash) {@code -name}, {@code —name} and {@code –name}.
     */
    static String flag(String token) {
        if (token.startsWith("--")) {
            return token.substring(2);
        }
        if (token.length() > 1 && (token.charAt(0) == '\u2014' || token.charAt(0) == '\u2013'
                || (token.charAt(0) == '-' && Character.isLetter(token.charAt(1))))) {
            return token.substring(1);
        }
        return null;
    }

    /**
     * The plain secret parameter ({@code paver:convention: secret-value}) a flag names or nearly names, ignoring case:
     * {@code --value}, {@code --VALUE}, {@code --valu}, {@code --values}, {@code --value:x}. Such a flag is refused
     * before its name or value could be quoted back. Null for every other flag.
     */
    static Parameter plainSecret(GoldenPath path, String name) {
        String typed = name.toLowerCase(Locale.ROOT);
        int end = 0;
        while (end < typed.length() && (Character.isLetterOrDigit(typed.charAt(end)) || typed.charAt(end) == '-')) {
            end++;
        }
        String head = typed.substring(0, end).replace("-", "");
        for (Parameter p : path.parameters().parameters()) {
            if (!SecretParameters.isPlain(p)) {
                continue;
            }
            String plain = p.name().toLowerCase(Locale.ROOT);
            if (head.length() >= 3 && (head.startsWith(plain) || plain.startsWith(head))) {
                return p;
            }
        }
        return null;
    }

    private static boolean hasPlainSecret(GoldenPath path) {
        return path.parameters().parameters().stream().anyMatch(SecretParameters::isPlain);
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
                .filter(p -> SecretParameters.SEALED.equals(p.convention()))
                .map(p -> "`--" + p.name() + "`").toList();
        return flags.isEmpty() ? "a sealed value" : String.join(" or ", flags);
    }

    /** Splits on white space (any Unicode space or line break), keeping quoted runs together. */
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
            } else if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
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
