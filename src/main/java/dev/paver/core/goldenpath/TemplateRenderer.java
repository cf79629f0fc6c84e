package dev.paver.core.goldenpath;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.Context;
import com.hubspot.jinjava.interpret.InterpretException;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.InvalidArgumentException;
import com.hubspot.jinjava.interpret.InvalidInputException;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import com.hubspot.jinjava.interpret.TemplateSyntaxException;
import com.hubspot.jinjava.lib.expression.ExpressionStrategy;
import com.hubspot.jinjava.lib.filter.EscapeFilter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.mode.ExecutionMode;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.tree.output.RenderedOutputNode;
import com.hubspot.jinjava.tree.parse.ExpressionToken;
import com.hubspot.jinjava.tree.parse.StringTokenScannerSymbols;
import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders Backstage Scaffolder expressions with Jinjava: {@code ${{ expr }}} for values, {@code {% %}} for
 * blocks, {@code {# #}} for comments (Backstage's Nunjucks syntax; "Writing Templates", backstage.io). An
 * unknown variable is an error, not an empty string, which catches typos; but a value the context declares as
 * {@link #UNDEFINED} (an optional parameter left out, any {@code secrets.X}, a part of a repository URL not given) is
 * Nunjucks' {@code undefined}: false in a test, empty in text, replaced by {@code default}, and left out of a step's
 * input and of JSON ({@link #defined}). Besides Jinjava's filters, {@code dump} (Nunjucks' JSON dump) and Backstage's
 * {@code parseRepoUrl}, {@code parseEntityRef}, {@code pick} and {@code projectSlug} ({@link BackstageFilters}) are
 * available. A skeleton file is rendered with escaping by its type ({@link #renderFile}): free text such as
 * a description never becomes markup in an HTML page or a Markdown document.
 */
public final class TemplateRenderer {

    private static final Pattern LONE_EXPRESSION = Pattern.compile("^\\s*\\$\\{\\{(.*)}}\\s*$", Pattern.DOTALL);

    private final Jinjava jinjava;
    /** Every escaping with every handling of blocks; filled by the constructor, read only afterwards. */
    private final Map<FileStyle, JinjavaConfig> styledConfigs = new LinkedHashMap<>();

    /**
     * Copies of Jinjava's global context (its filters, tags, functions and tests), each used by one render at a time
     * as the parent of the render's own context and reset after it ({@link #renderForResult}). Jinjava makes such a
     * copy at every render, instantiating every built-in filter, tag and function again: 12 % of the run workers'
     * processor time in a JFR profile of create-service, which renders every step's inputs and skeleton files. At most
     * as many as renders ever ran at once (the run workers and request threads).
     */
    private final ConcurrentLinkedQueue<Context> globalCopies = new ConcurrentLinkedQueue<>();

    /** A renderer with Backstage's delimiters, strict about unknown variables, output capped at 2 MB. */
    public TemplateRenderer() {
        this.jinjava = new Jinjava(config(Escaping.NONE));
        jinjava.registerFilter(new DumpFilter());
        BackstageFilters.all().forEach(jinjava::registerFilter);
        jinjava.getGlobalContext().put(UNDEFINED_NAME, UNDEFINED);
        jinjava.registerExpTest(new DefinedTest(true));
        jinjava.registerExpTest(new DefinedTest(false));
        for (Escaping escaping : Escaping.values()) {
            for (boolean trim : new boolean[] {false, true}) {
                for (boolean lstrip : new boolean[] {false, true}) {
                    Blocks blocks = new Blocks(trim, lstrip);
                    styledConfigs.put(new FileStyle(escaping, blocks), config(escaping, blocks));
                }
            }
        }
    }

    private static JinjavaConfig config(Escaping escaping) {
        return config(escaping, Blocks.TRIMMED);
    }

    private static JinjavaConfig config(Escaping escaping, Blocks blocks) {
        return JinjavaConfig.newBuilder()
                .withTokenScannerSymbols(StringTokenScannerSymbols.builder()
                        .withVariableStartString("${{").withVariableEndString("}}")
                        .withBlockStartString("{%").withBlockEndString("%}")
                        .withCommentStartString("{#").withCommentEndString("#}")
                        .build())
                .withFailOnUnknownTokens(true)
                .withNestedInterpretationEnabled(false)
                .withMaxOutputSize(2L * 1024 * 1024)
                .withTrimBlocks(blocks.trim())
                .withLstripBlocks(blocks.lstrip())
                .withExecutionMode(new EscapingMode(escaping))
                .build();
    }

    /**
     * Nunjucks' {@code undefined}: a value the context declares but does not have (an optional parameter left out).
     * False in {@code if} and {@code or}, empty text when written, {@code null} in JSON, and a map entry holding it is
     * left out of JSON and of a step's input as Backstage leaves out an undefined key.
     */
    public static final Object UNDEFINED = new Undefined();

    /** The name under which expressions reach {@link #UNDEFINED} ({@link #withElse}). */
    private static final String UNDEFINED_NAME = "__paver_undefined__";

    /**
     * The expression with {@code else} {@link #UNDEFINED} when it is a conditional without {@code else}
     * ({@code x if y}): Nunjucks gives undefined when {@code y} is false, Jinjava null, which its strict mode takes for an
     * unknown variable. The keywords are found outside quotes and brackets; anything else is returned as it is.
     */
    static String withElse(String expression) {
        boolean hasIf = false;
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if ("([{".indexOf(c) >= 0) {
                depth++;
            } else if (")]}".indexOf(c) >= 0) {
                depth--;
            } else if (depth == 0 && (i == 0 || !Character.isJavaIdentifierPart(expression.charAt(i - 1)))) {
                if (keyword(expression, i, "else")) {
                    return expression;
                }
                hasIf |= keyword(expression, i, "if");
            }
        }
        return hasIf && quote == 0 && depth == 0 ? expression + " else " + UNDEFINED_NAME : expression;
    }

    private static boolean keyword(String expression, int at, String word) {
        int end = at + word.length();
        return expression.startsWith(word, at) && (end == expression.length()
                || !Character.isJavaIdentifierPart(expression.charAt(end)));
    }

    /** True when {@code value} is {@link #UNDEFINED}. */
    public static boolean isUndefined(Object value) {
        return value == UNDEFINED;
    }

    /**
     * The value as Backstage's JSON has it: map entries that are {@link #UNDEFINED} left out, undefined list items
     * {@code null}, recursively (a new value; the argument is not changed).
     */
    public static Object defined(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> {
                if (!isUndefined(v)) {
                    out.put(String.valueOf(k), defined(v));
                }
            });
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(v -> out.add(isUndefined(v) ? null : defined(v)));
            return out;
        }
        return value;
    }

    /**
     * The {@code parameters} of a template's context: the given values, and every declared parameter that was not
     * given as {@link #UNDEFINED}, so that a template may test an optional parameter ({@code {% if
     * parameters.description %}}) while a name no parameter has stays an error.
     *
     * @param declared the names of the template's parameters
     */
    public static Map<String, Object> parameters(Map<String, ?> given, Collection<String> declared) {
        Map<String, Object> out = new LinkedHashMap<>(given);
        declared.forEach(name -> out.putIfAbsent(name, UNDEFINED));
        return out;
    }

    /**
     * A map in which every key is {@link #UNDEFINED}: Backstage's {@code secrets} of a run whose caller passed none,
     * which is what a Paver run has (Paver's own credentials are never given to templates).
     */
    public static Map<String, Object> allUndefined() {
        return AllUndefined.MAP;
    }

    /**
     * Renders a text template.
     *
     * @param name     what is rendered, for messages (a file path or {@code steps[publish].input.title})
     * @param template the text
     * @param context  the variables: {@code parameters}, {@code steps}, {@code values}, ...
     * @return the rendered text
     * @throws TemplateException when the template uses an unknown variable or is not valid syntax
     */
    public String render(String name, String template, Map<String, ?> context) {
        RenderResult result = renderForResult(template, context, jinjava.getGlobalConfig());
        failOnErrors(name, result.getErrors());
        return result.getOutput();
    }

    /**
     * Renders a skeleton file, escaping every {@code ${{ }}} value by the file's type: HTML entities
     * ({@code & < > " '}) in {@code .html}, {@code .htm}, {@code .xhtml}, {@code .xml} and {@code .svg}; CommonMark
     * backslash escapes (inline markup characters anywhere, block markers at the start of a line) in {@code .md} and
     * {@code .markdown}; nothing in other files (YAML takes values through {@code dump}, names are validated). A value
     * piped through {@code safe} is written as it is.
     *
     * @param path     the file's path in the skeleton, which gives its type
     * @param template the file's text
     * @throws TemplateException as {@link #render}
     */
    public String renderFile(String path, String template, Map<String, ?> context) {
        return renderFile(path, template, context, Blocks.TRIMMED);
    }

    /**
     * Renders a skeleton file as {@link #renderFile(String, String, Map)} does, with the whitespace around
     * {@code {% %}} blocks handled as {@code blocks} says (Backstage's {@code fetch:template} inputs
     * {@code trimBlocks} and {@code lstripBlocks}).
     *
     * @throws TemplateException as {@link #render}
     */
    public String renderFile(String path, String template, Map<String, ?> context, Blocks blocks) {
        JinjavaConfig config = styledConfigs.get(new FileStyle(Escaping.of(path), blocks));
        RenderResult result = renderForResult(template, context, config);
        failOnErrors(path, result.getErrors());
        return result.getOutput();
    }

    /**
     * What becomes of the whitespace around a {@code {% %}} block tag: Nunjucks' {@code trimBlocks} (the line end after
     * a tag is dropped) and {@code lstripBlocks} (the blanks before a tag at the start of a line are dropped). Both
     * are off in Backstage's {@code fetch:template} unless its input turns them on ("Builtin actions",
     * {@code fetch:template} input schema, {@code @backstage/plugin-scaffolder-backend}); {@link #render} and
     * {@link #renderFile(String, String, Map)} have both on.
     */
    public record Blocks(boolean trim, boolean lstrip) {
        /** Both off: Nunjucks' and Backstage's default. */
        public static final Blocks KEPT = new Blocks(false, false);
        /** Both on. */
        public static final Blocks TRIMMED = new Blocks(true, true);
    }

    private record FileStyle(Escaping escaping, Blocks blocks) {
    }

    /**
     * Renders a step input value: strings are rendered, maps and lists recursively. A string that is exactly
     * one expression keeps the expression's type (a list stays a list), as Backstage does.
     *
     * @throws TemplateException as {@link #render}
     */
    @SuppressWarnings("unchecked")
    public Object renderValue(String name, Object value, Map<String, ?> context) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), renderValue(name + "." + k, v, context)));
            return out;
        }
        if (value instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(renderValue(name + "[" + i + "]", list.get(i), context));
            }
            return out;
        }
        if (!(value instanceof String text)) {
            return value;
        }
        Matcher lone = LONE_EXPRESSION.matcher(text);
        if (lone.matches() && !lone.group(1).contains("}}")) {
            // the parent is a copy of the global context, not the global context itself: a render adds what it
            // resolved to every context up its chain, and the global one is shared by every thread
            Context global = globalCopy();
            JinjavaInterpreter interpreter = new JinjavaInterpreter(jinjava,
                    new Context(global, (Map<String, Object>) context), jinjava.getGlobalConfig());
            JinjavaInterpreter.pushCurrent(interpreter);
            try {
                Object resolved = interpreter.resolveELExpression(withElse(lone.group(1).trim()), 1);
                failOnErrors(name, interpreter.getErrors());
                return resolved;
            } catch (InterpretException e) {
                throw new TemplateException(name + ": " + e.getMessage());
            } finally {
                JinjavaInterpreter.popCurrent();
                release(global);
            }
        }
        return render(name, text, context);
    }

    /**
     * Evaluates a step's {@code if}: absent, {@code true} and truthy results run the step; {@code false},
     * empty text, an empty list, {@code 0} and {@code null} skip it (Backstage's {@code isTruthy}).
     */
    public boolean condition(String name, Object expression, Map<String, ?> context) {
        if (expression == null) {
            return true;
        }
        Object value = renderValue(name, expression, context);
        if (value == null || value instanceof Boolean b && !b || value instanceof Collection<?> c && c.isEmpty()) {
            return false;
        }
        String text = String.valueOf(value).trim();
        return !(text.isEmpty() || text.equals("false") || text.equals("0") || text.equals("None"));
    }

    /**
     * What {@link Jinjava#renderForResult(String, Map, JinjavaConfig)} of Jinjava 2.8 does (the same context chain,
     * interpreter, errors, and trailing newline dropped unless configured otherwise), with a pooled copy of the global
     * context ({@link #globalCopies}) where Jinjava makes a new one. Inside another render (a filter that renders)
     * it is Jinjava's own, which takes the outer render's variables and configuration.
     */
    private RenderResult renderForResult(String template, Map<String, ?> bindings, JinjavaConfig config) {
        if (JinjavaInterpreter.getCurrent() != null) {
            return jinjava.renderForResult(template, bindings, config);
        }
        Context global = globalCopy();
        Context context = new Context(global, bindings, config.getDisabled());
        JinjavaInterpreter interpreter = jinjava.getGlobalConfig().getInterpreterFactory().newInstance(jinjava, context, config);
        JinjavaInterpreter.pushCurrent(interpreter);
        try {
            String output = interpreter.render(template);
            if (!jinjava.getGlobalConfig().isKeepTrailingNewline() && output.endsWith("\n")) {
                output = output.substring(0, output.length() - 1);
            }
            return new RenderResult(output, interpreter.getContext(), interpreter.getErrorsCopy());
        } catch (TemplateSyntaxException e) {
            return new RenderResult(TemplateError.fromException(e), interpreter.getContext(), interpreter.getErrorsCopy());
        } catch (InterpretException e) {
            return new RenderResult(TemplateError.fromSyntaxError(e), interpreter.getContext(), interpreter.getErrorsCopy());
        } catch (InvalidArgumentException e) {
            return new RenderResult(TemplateError.fromInvalidArgumentException(e), interpreter.getContext(),
                    interpreter.getErrorsCopy());
        } catch (InvalidInputException e) {
            return new RenderResult(TemplateError.fromInvalidInputException(e), interpreter.getContext(),
                    interpreter.getErrorsCopy());
        } catch (Exception e) {
            return new RenderResult(TemplateError.fromException(e), interpreter.getContext(), interpreter.getErrorsCopy());
        } finally {
            JinjavaInterpreter.popCurrent();
            release(global);
        }
    }

    /** A copy of Jinjava's global context for one render: from the pool, or made as Jinjava makes one. */
    private Context globalCopy() {
        Context copy = globalCopies.poll();
        if (copy != null) {
            return copy;
        }
        Context global = jinjava.getGlobalContext();
        copy = new Context(null, global);
        global.getAllExpTests().forEach(copy::registerExpTest);
        global.getAllFilters().forEach(copy::registerFilter);
        global.getAllFunctions().forEach(copy::registerFunction);
        global.getAllTags().forEach(copy::registerTag);
        copy.setAutoEscape(global.isAutoEscape());
        copy.setDynamicVariableResolver(global.getDynamicVariableResolver());
        return copy;
    }

    /** Clears what a render added to {@code copy} (as Jinjava resets its global context after a render) and pools it. */
    private void release(Context copy) {
        copy.reset();
        globalCopies.offer(copy);
    }

    private static void failOnErrors(String name, List<TemplateError> errors) {
        List<String> fatal = new ArrayList<>();
        for (TemplateError error : errors) {
            if (error.getSeverity() == TemplateError.ErrorType.FATAL) {
                fatal.add((error.getLineno() > 0 ? "line " + error.getLineno() + ": " : "") + error.getMessage());
            }
        }
        if (!fatal.isEmpty()) {
            throw new TemplateException(name + ": " + String.join("; ", fatal));
        }
    }

    /** A template that cannot be rendered: unknown variable, bad syntax. The message names what and where. */
    public static final class TemplateException extends RuntimeException {
        public TemplateException(String message) {
            super(message);
        }
    }

    /** How values are escaped in a rendered file, by the file's type. */
    enum Escaping {
        NONE, HTML, MARKDOWN;

        static Escaping of(String path) {
            String name = path.toLowerCase(Locale.ROOT);
            String extension = name.substring(name.lastIndexOf('.') + 1);
            return switch (name.lastIndexOf('.') < 0 ? "" : extension) {
                case "html", "htm", "xhtml", "xml", "svg" -> HTML;
                case "md", "markdown" -> MARKDOWN;
                default -> NONE;
            };
        }

        String apply(String text) {
            return switch (this) {
                case NONE -> text;
                case HTML -> EscapeFilter.escapeHtmlEntities(text);
                case MARKDOWN -> markdown(text);
            };
        }

        /**
         * CommonMark backslash escapes (spec section 2.4, "Backslash escapes"): the characters that open inline
         * markup anywhere (emphasis, code, links, images, raw HTML, entities, tables, strikethrough), and those that
         * open a block (heading, list, quote, thematic break, ordered list) at the start of a line.
         */
        private static String markdown(String text) {
            StringBuilder out = new StringBuilder(text.length() + 16);
            boolean lineStart = true; // only blanks since the start of the line
            boolean leadingDigits = false; // only blanks, then digits, since the start of the line
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                boolean inline = "\\`*_[]<>&|~".indexOf(c) >= 0;
                boolean block = lineStart && "#+-=".indexOf(c) >= 0 || leadingDigits && (c == '.' || c == ')');
                if (inline || block) {
                    out.append('\\');
                }
                out.append(c);
                leadingDigits = Character.isDigit(c) && (lineStart || leadingDigits);
                lineStart = c == '\n' || lineStart && (c == ' ' || c == '\t');
            }
            return out.toString();
        }
    }

    /**
     * A list written into text as Nunjucks writes it (JavaScript's {@code Array.prototype.toString}): its items joined by
     * {@code ,}, nested lists likewise, null and undefined items empty; Jinjava would write Python's {@code [a, b]}.
     */
    static String javaScriptText(List<?> list) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            Object item = list.get(i);
            if (item instanceof List<?> inner) {
                out.append(javaScriptText(inner));
            } else if (item != null && !isUndefined(item)) {
                out.append(item);
            }
        }
        return out.toString();
    }

    /** Sets {@link EscapingOutput} on every render context of a configuration. */
    private record EscapingMode(Escaping escaping) implements ExecutionMode {
        @Override
        public void prepareContext(Context context) {
            context.setExpressionStrategy(new EscapingOutput(escaping));
        }
    }

    /**
     * Writes a {@code ${{ }}} value escaped for the file's type; Jinjava's default strategy without nested
     * interpretation (which is off), and with its HTML autoescape replaced by {@link Escaping}.
     */
    private record EscapingOutput(Escaping escaping) implements ExpressionStrategy {
        @Override
        public RenderedOutputNode interpretOutput(ExpressionToken token, JinjavaInterpreter interpreter) {
            Object value = interpreter.resolveELExpression(withElse(token.getExpr()), token.getLineNumber());
            String text = value instanceof List<?> list ? javaScriptText(list) : interpreter.getAsString(value);
            return new RenderedOutputNode(value instanceof SafeString ? text : escaping.apply(text));
        }
    }

    /** Nunjucks' {@code dump}: the value as JSON. */
    private static final class DumpFilter implements Filter {
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public String getName() {
            return "dump";
        }

        @Override
        public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
            if (var == null) {
                // null, not "null": an unknown variable piped through dump stays an unknown variable, which is an error
                return null;
            }
            if (isUndefined(var)) {
                return UNDEFINED; // JSON.stringify(undefined) is undefined: Nunjucks writes nothing
            }
            try {
                return JSON.writeValueAsString(defined(var));
            } catch (JsonProcessingException e) {
                throw new TemplateException("dump: " + e.getOriginalMessage());
            }
        }
    }

    /** {@link #UNDEFINED}: no text, false, null in JSON. */
    private static final class Undefined implements HasObjectTruthValue {
        @Override
        public boolean getObjectTruthValue() {
            return false;
        }

        @JsonValue
        Object json() {
            return null;
        }

        @Override
        public String toString() {
            return "";
        }
    }

    /** {@link #allUndefined()}: empty, and {@link #UNDEFINED} for every key asked for. */
    private static final class AllUndefined extends AbstractMap<String, Object> {
        static final AllUndefined MAP = new AllUndefined();

        @Override
        public Object get(Object key) {
            return UNDEFINED;
        }

        @Override
        public boolean containsKey(Object key) {
            return true;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return Set.of();
        }
    }

    /** Jinjava's {@code defined} and {@code undefined} tests, for which {@link #UNDEFINED} is not defined. */
    private record DefinedTest(boolean defined) implements ExpTest {
        @Override
        public String getName() {
            return defined ? "defined" : "undefined";
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return (var != null && !isUndefined(var)) == defined;
        }
    }
}
