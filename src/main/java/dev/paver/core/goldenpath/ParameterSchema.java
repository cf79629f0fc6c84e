package dev.paver.core.goldenpath;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.paver.core.convention.Names;
import dev.paver.core.convention.Violation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameters of a template: the {@code spec.parameters} pages of a Backstage Template, each a JSON Schema
 * object (draft 7). Keys with a {@code ui:} or {@code paver:} prefix are presentation and platform hints, not
 * schema, and are removed before validation.
 */
public final class ParameterSchema {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry FACTORY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7);

    private final List<Parameter> parameters;
    private final List<Parameter> always;
    private final List<Dependent> dependents;
    private final List<Page> pages;
    /** The page (from 0) of each of {@link #always}, in the same order. */
    private final List<Integer> pageOf;
    private final List<String> pageTitles;

    /**
     * One page's JSON Schema; for a page with a top-level {@code oneOf}, also one schema per choice (the page with only
     * that choice) and the names of each choice's properties, so that a request that fits no choice is told what is
     * wrong in the choice it was meant for.
     */
    private record Page(Schema schema, List<Schema> choices, List<Set<String>> names, String title) {
    }

    /**
     * The name of the parameter that holds which choice of a page's top-level {@code oneOf} is filled in (followed by
     * {@code -2}, {@code -3} for the oneOf of the second, third page). react-jsonschema-form shows such a {@code oneOf}
     * as a select of the choices' {@code title}s (else "Option 1", "Option 2"), the first chosen, then the chosen
     * schema's fields; its value ("1", "2", ...) is the form's, not the template's: it is never among the values a run
     * gets ({@link #withDefaults}), and a slash command does not type it: the choice is the one whose parameters it gives
     * ({@link #withChoices}).
     */
    public static final String CHOICE = "paver:one-of";

    /** Whether {@code p} is the choice of a page's top-level {@code oneOf} ({@link #CHOICE}), not a template parameter. */
    public static boolean isChoice(Parameter p) {
        return p.name().equals(CHOICE) || p.name().startsWith(CHOICE + "-");
    }

    private ParameterSchema(List<Parameter> always, List<Integer> pageOf, List<Dependent> dependents, List<Page> pages) {
        this.always = List.copyOf(always);
        this.pageOf = List.copyOf(pageOf);
        this.pageTitles = pages.stream().map(Page::title).toList();
        this.dependents = List.copyOf(dependents);
        List<Parameter> all = new ArrayList<>(always);
        dependents.forEach(d -> d.parameters().stream().filter(p -> all.stream().noneMatch(a -> a.name().equals(p.name())))
                .forEach(all::add));
        this.parameters = List.copyOf(all);
        this.pages = List.copyOf(pages);
    }

    /**
     * Parameters asked for only when another has a given value: a branch of a page's {@code dependencies}, as
     * react-jsonschema-form (Backstage's form) reads them ("Dependencies", rjsf-team.github.io): {@code dependencies:
     * {trigger: {oneOf: [{properties: {trigger: {enum: [v]}, extra: {...}}, required: [extra]}, ...]}}}, or one schema
     * without {@code oneOf}, which applies whenever the trigger has a value.
     *
     * @param trigger    the parameter whose value decides
     * @param values     the trigger's values for which these are asked; empty: any value
     * @param parameters what is asked then, {@code required} as the branch says
     */
    public record Dependent(String trigger, List<String> values, List<Parameter> parameters) {
        public Dependent {
            values = List.copyOf(values);
            parameters = List.copyOf(parameters);
        }

        /** Whether these are asked when the trigger's value is {@code value} (null or blank: it has none). */
        public boolean appliesTo(String value) {
            return value != null && !value.isBlank() && (values.isEmpty() || values.contains(value.strip()));
        }
    }

    /**
     * Reads {@code spec.parameters}: a page object or a list of them.
     *
     * @throws IllegalArgumentException when a page is not an object or a property has no type
     */
    @SuppressWarnings("unchecked")
    public static ParameterSchema read(Object specParameters) {
        List<Object> pageList = specParameters instanceof List<?> l ? new ArrayList<>(l)
                : specParameters == null ? List.of() : List.of(specParameters);
        List<Parameter> parameters = new ArrayList<>();
        List<Dependent> dependents = new ArrayList<>();
        List<Page> schemas = new ArrayList<>();
        List<Integer> pageOf = new ArrayList<>();
        int choices = 0;
        for (Object page : pageList) {
            if (!(page instanceof Map<?, ?> p)) {
                throw new IllegalArgumentException("spec.parameters: each page must be an object");
            }
            Map<String, Object> pageMap = (Map<String, Object>) p;
            List<String> required = ((List<Object>) pageMap.getOrDefault("required", List.of())).stream()
                    .map(String::valueOf).toList();
            Map<String, Object> properties = (Map<String, Object>) pageMap.getOrDefault("properties", Map.of());
            for (Map.Entry<String, Object> e : properties.entrySet()) {
                parameters.add(parameter(e.getKey(), (Map<String, Object>) e.getValue(), required.contains(e.getKey())));
            }
            if (pageMap.get("dependencies") instanceof Map<?, ?> dependencies) {
                dependencies.forEach((trigger, dependency) -> dependents.addAll(dependents(String.valueOf(trigger), dependency)));
            }
            List<Schema> choiceSchemas = new ArrayList<>();
            List<Set<String>> choiceNames = new ArrayList<>();
            if (pageMap.get("oneOf") instanceof List<?> oneOf && !oneOf.isEmpty()) {
                // a choice of which schema to fill: a select of their titles, the first chosen, then the chosen one's fields
                String name = CHOICE + (choices++ == 0 ? "" : "-" + choices);
                List<String> values = new ArrayList<>();
                List<String> titles = new ArrayList<>();
                for (int i = 0; i < oneOf.size(); i++) {
                    Map<String, Object> choice = oneOf.get(i) instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of();
                    values.add(String.valueOf(i + 1));
                    titles.add(choice.get("title") instanceof String t && !t.isBlank() ? t : "Option " + (i + 1));
                    List<String> choiceRequired = choice.get("required") instanceof List<?> r
                            ? r.stream().map(String::valueOf).toList() : List.of();
                    List<Parameter> asked = new ArrayList<>();
                    Map<String, Object> props = choice.get("properties") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
                    props.forEach((n, prop) -> asked.add(parameter(n, (Map<String, Object>) prop, choiceRequired.contains(n))));
                    dependents.add(new Dependent(name, List.of(values.get(i)), asked));
                    Map<String, Object> only = new LinkedHashMap<>(pageMap);
                    only.remove("oneOf");
                    only.put("allOf", List.of(choice));
                    JsonNode choiceSchema = JSON.valueToTree(only);
                    strip(choiceSchema);
                    choiceSchemas.add(FACTORY.getSchema(choiceSchema));
                    choiceNames.add(new HashSet<>(props.keySet()));
                }
                String title = pageMap.get("title") instanceof String t && !t.isBlank() ? t : "Choose one";
                parameters.add(new Parameter(name, title, pageMap.get("description") instanceof String d ? d : null,
                        "string", values, "1", false, null, null, null, null, titles));
            }
            JsonNode schema = JSON.valueToTree(pageMap);
            strip(schema);
            while (pageOf.size() < parameters.size()) {
                pageOf.add(schemas.size());
            }
            schemas.add(new Page(FACTORY.getSchema(schema), choiceSchemas, choiceNames,
                    pageMap.get("title") instanceof String t ? t.strip() : ""));
        }
        return new ParameterSchema(parameters, pageOf, dependents, schemas);
    }

    /** One property of a page as a parameter. */
    @SuppressWarnings("unchecked")
    private static Parameter parameter(String name, Map<String, Object> prop, boolean required) {
        Object type = prop.get("type");
        if (type == null) {
            throw new IllegalArgumentException("spec.parameters: property " + name + " has no type");
        }
        // an array's choices are its items' enum (react-jsonschema-form's checkboxes and multi-select)
        Map<String, Object> choicesAt = !prop.containsKey("enum") && prop.get("items") instanceof Map<?, ?> items
                && items.containsKey("enum") ? (Map<String, Object>) items : prop;
        List<String> enums = choicesAt.get("enum") instanceof List<?> en ? en.stream().map(String::valueOf).toList() : List.of();
        Object def = prop.get("default");
        if (def instanceof List<?> list) {
            // an array default is typed like a command's comma-separated value
            def = String.join(",", list.stream().map(String::valueOf).toList());
        }
        Object maxLength = prop.get("maxLength");
        List<String> enumNames = choicesAt.get("enumNames") instanceof List<?> names
                ? names.stream().map(String::valueOf).toList() : List.of();
        return new Parameter(name, (String) prop.get("title"), (String) prop.get("description"),
                String.valueOf(type), enums, def == null ? null : String.valueOf(def), required,
                maxLength instanceof Number n ? n.intValue() : null, (String) prop.get("ui:field"),
                (String) prop.get("paver:convention"), (String) prop.get("ui:widget"), enumNames,
                prop.get("ui:options") instanceof Map<?, ?> options ? (Map<String, Object>) options : Map.of());
    }

    /**
     * The branches of one {@code dependencies} entry: a list (property dependencies: no new parameter, the JSON Schema
     * checks them), a schema with {@code oneOf} (one branch each), or one schema.
     */
    @SuppressWarnings("unchecked")
    private static List<Dependent> dependents(String trigger, Object dependency) {
        if (!(dependency instanceof Map<?, ?> schema)) {
            return List.of();
        }
        List<Object> branches = schema.get("oneOf") instanceof List<?> oneOf ? new ArrayList<>(oneOf) : List.of(schema);
        List<Dependent> out = new ArrayList<>();
        for (Object branch : branches) {
            if (!(branch instanceof Map<?, ?> b) || !(b.get("properties") instanceof Map<?, ?> props)) {
                continue;
            }
            List<String> required = b.get("required") instanceof List<?> r ? r.stream().map(String::valueOf).toList() : List.of();
            List<String> values = List.of();
            List<Parameter> asked = new ArrayList<>();
            for (Map.Entry<?, ?> e : props.entrySet()) {
                String name = String.valueOf(e.getKey());
                Map<String, Object> prop = (Map<String, Object>) e.getValue();
                if (name.equals(trigger)) {
                    values = prop.get("enum") instanceof List<?> en ? en.stream().map(String::valueOf).toList() : List.of();
                } else {
                    asked.add(parameter(name, prop, required.contains(name)));
                }
            }
            out.add(new Dependent(trigger, values, asked));
        }
        return out;
    }

    /**
     * A problem of {@code spec.parameters} that keeps a template from loading.
     *
     * @param pointer a JSON pointer below {@code spec.parameters}, e.g. {@code /0/properties/name/type}; empty for
     *                the whole value
     * @param message what is wrong and what to write instead
     */
    public record Problem(String pointer, String message) {
    }

    /**
     * Every problem of {@code spec.parameters} that {@link #read} would refuse or that makes a page an invalid JSON
     * Schema (draft 7: its meta-schema, as bundled with networknt's json-schema-validator), in page and property
     * order. Empty when {@link #read} accepts the value. Never throws.
     */
    @SuppressWarnings("unchecked")
    public static List<Problem> problems(Object specParameters) {
        List<Problem> out = new ArrayList<>();
        if (specParameters != null && !(specParameters instanceof List<?>) && !(specParameters instanceof Map<?, ?>)) {
            out.add(new Problem("", "spec.parameters must be a page (an object) or a list of pages"));
            return out;
        }
        List<Object> pageList = specParameters instanceof List<?> l ? new ArrayList<>(l)
                : specParameters == null ? List.of() : List.of(specParameters);
        Schema meta = metaSchema();
        for (int i = 0; i < pageList.size(); i++) {
            String page = specParameters instanceof List<?> ? "/" + i : "";
            if (!(pageList.get(i) instanceof Map<?, ?> p)) {
                out.add(new Problem(page, "spec.parameters: each page must be an object"));
                continue;
            }
            Map<String, Object> pageMap = (Map<String, Object>) p;
            Object required = pageMap.get("required");
            if (required != null && !(required instanceof List<?>)) {
                out.add(new Problem(page + "/required", "spec.parameters: required must be a list of property names"));
            }
            Object properties = pageMap.get("properties");
            if (properties != null && !(properties instanceof Map<?, ?>)) {
                out.add(new Problem(page + "/properties", "spec.parameters: properties must be an object of properties"));
            } else if (properties instanceof Map<?, ?> props) {
                for (Map.Entry<?, ?> e : props.entrySet()) {
                    String at = page + "/properties/" + escape(String.valueOf(e.getKey()));
                    if (!(e.getValue() instanceof Map<?, ?> prop)) {
                        out.add(new Problem(at, "spec.parameters: property " + e.getKey() + " must be an object"));
                        continue;
                    }
                    if (prop.get("type") == null) {
                        out.add(new Problem(at, "spec.parameters: property " + e.getKey() + " has no type"));
                    }
                    for (String textKey : List.of("description", "ui:field", "ui:widget", "paver:convention")) {
                        if (prop.get(textKey) != null && !(prop.get(textKey) instanceof String)) {
                            out.add(new Problem(at + "/" + escape(textKey), "spec.parameters: " + textKey + " of property "
                                    + e.getKey() + " must be text"));
                        }
                    }
                    widgetProblems(e.getKey(), at, prop, out);
                    if (i < pageList.size() - 1 && SecretParameters.PLAIN.equals(prop.get("paver:convention"))) {
                        // the modal carries the values of a page to the next in the view's private_metadata, in Slack
                        out.add(new Problem(at + "/paver:convention", "spec.parameters: property " + e.getKey()
                                + " takes a secret value on page " + (i + 1) + " of " + pageList.size() + "; put it on the"
                                + " last page, so that the value goes from the form straight to sealing and is never"
                                + " carried from one page of the modal to the next"));
                    }
                }
            }
            JsonNode schema = JSON.valueToTree(pageMap);
            strip(schema);
            if (meta != null) {
                Set<String> reported = new HashSet<>(); // one message per field: "type" is an anyOf of two shapes
                for (Error m : meta.validate(schema)) {
                    StringBuilder at = new StringBuilder(page);
                    for (int n = 0; n < m.getInstanceLocation().getNameCount(); n++) {
                        at.append('/').append(escape(String.valueOf(m.getInstanceLocation().getElement(n))));
                    }
                    if (reported.add(at.toString())) {
                        // the key it is about ("type"), since the message does not name it
                        int names = m.getInstanceLocation().getNameCount();
                        String key = names == 0 ? "" : m.getInstanceLocation().getElement(names - 1) + ": ";
                        out.add(new Problem(at.toString(), "spec.parameters: not a valid JSON Schema (draft 7): "
                                + key + m.getMessage()));
                    }
                }
            }
            try {
                FACTORY.getSchema(schema);
            } catch (RuntimeException ex) {
                out.add(new Problem(page, "spec.parameters: not a valid JSON Schema (draft 7): " + ex.getMessage()));
            }
        }
        if (out.isEmpty()) {
            try {
                read(specParameters);
            } catch (RuntimeException ex) {
                out.add(new Problem("", "spec.parameters: " + ex.getMessage()));
            }
        }
        return out;
    }

    /**
     * What Paver cannot show of a property's Backstage form hints: {@code ui:widget: password} on a property that Paver
     * would keep as an ordinary parameter (Slack has no masked input: the value would travel through the modal and be
     * stored with the run; only a {@code paver:convention: secret-value} property is sealed at once and never kept, see
     * {@link SecretParameters}), and {@code enumNames} that do not name each {@code enum} value once, in order.
     */
    private static void widgetProblems(Object name, String at, Map<?, ?> prop, List<Problem> out) {
        if ("password".equals(prop.get("ui:widget")) && !SecretParameters.PLAIN.equals(prop.get("paver:convention"))) {
            out.add(new Problem(at + "/ui:widget", "spec.parameters: property " + name + " asks for a password field "
                    + "(ui:widget: password), which Slack cannot mask: the value would be sent through the modal and "
                    + "stored with the run. Take secret values with the create-secret golden path (Sealed Secrets) and "
                    + "refer to the secret by name here, or mark the property paver:convention: secret-value so that "
                    + "Paver seals it at once and keeps only its fingerprint"));
        }
        boolean ofItems = !prop.containsKey("enumNames") && prop.get("items") instanceof Map<?, ?> items
                && items.containsKey("enumNames");
        Map<?, ?> choicesAt = ofItems ? (Map<?, ?>) prop.get("items") : prop;
        Object names = choicesAt.get("enumNames");
        if (names != null) {
            int values = choicesAt.get("enum") instanceof List<?> en ? en.size() : -1;
            if (!(names instanceof List<?> list) || list.size() != values) {
                out.add(new Problem(at + (ofItems ? "/items" : "") + "/enumNames", "spec.parameters: enumNames of property " + name + " must be a "
                        + "list with one label for each value of its enum, in the same order"
                        + (values < 0 ? " (the property has no enum)" : " (" + values + " values)")));
            }
        }
    }

    private static Schema metaSchema() {
        try {
            return FACTORY.getSchema(SchemaLocation.of("https://json-schema.org/draft-07/schema"));
        } catch (RuntimeException e) {
            return null; // the bundled meta-schema is missing: the property checks above still run
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    private static void strip(JsonNode node) {
        if (node instanceof ObjectNode object) {
            Iterator<String> names = object.fieldNames();
            List<String> remove = new ArrayList<>();
            while (names.hasNext()) {
                String n = names.next();
                if (n.startsWith("ui:") || n.startsWith("paver:") || n.equals("enumNames") || n.equals("title")
                        && !object.get(n).isTextual()) {
                    remove.add(n);
                }
            }
            object.remove(remove);
            object.forEach(ParameterSchema::strip);
        } else if (node != null && node.isArray()) {
            node.forEach(ParameterSchema::strip);
        }
    }

    /**
     * All parameters, in page and property order, then those of {@link #dependents()} (each name once): what a slash
     * command may set. {@link #shown} says which a request asks for.
     */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The parameters asked for only when another has a given value ({@code dependencies}). */
    public List<Dependent> dependents() {
        return dependents;
    }

    /** Whether another parameter depends on {@code name}'s value: a modal shows those as soon as it is chosen. */
    public boolean decides(String name) {
        return dependents.stream().anyMatch(d -> d.trigger().equals(name));
    }

    /**
     * What a request with {@code values} asks for: every page's own parameters, each followed by the dependents its
     * value calls for (a dependent of a dependent too), each name once.
     *
     * @param values the values so far, by parameter name (defaults count when a parameter has none)
     */
    public List<Parameter> shown(Map<String, String> values) {
        Map<String, String> chosen = withChoices(values);
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : always) {
            add(p, chosen, out);
        }
        return out;
    }

    /** How many pages {@code spec.parameters} has (a page object counts as one); a modal shows one page at a time. */
    public int pageCount() {
        return pageTitles.size();
    }

    /** The {@code title} of page {@code page} (from 0), empty when it has none. */
    public String pageTitle(int page) {
        return pageTitles.get(page);
    }

    /**
     * What page {@code page} (from 0) asks for with {@code values}: its own parameters, each followed by the dependents
     * its value calls for, as {@link #shown(Map)} does for all pages.
     */
    public List<Parameter> shown(Map<String, String> values, int page) {
        Map<String, String> chosen = withChoices(values);
        List<Parameter> out = new ArrayList<>();
        for (int i = 0; i < always.size(); i++) {
            if (pageOf.get(i) == page) {
                add(always.get(i), chosen, out);
            }
        }
        return out;
    }

    /**
     * {@code values} with the choice of each page's top-level {@code oneOf} ({@link #CHOICE}) filled in when it has none:
     * the first choice one of whose parameters has a value (as a slash command gives them), else the first.
     */
    public Map<String, String> withChoices(Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>(values);
        for (Parameter p : always) {
            if (!isChoice(p) || !isBlank(values.get(p.name()))) {
                continue;
            }
            String inferred = dependents.stream().filter(d -> d.trigger().equals(p.name()))
                    .filter(d -> d.parameters().stream().anyMatch(q -> !isBlank(values.get(q.name()))))
                    .map(d -> d.values().get(0)).findFirst().orElse(p.defaultValue());
            out.put(p.name(), inferred);
        }
        return out;
    }

    private void add(Parameter p, Map<String, String> values, List<Parameter> out) {
        if (out.stream().anyMatch(o -> o.name().equals(p.name()))) {
            return;
        }
        out.add(p);
        String value = isBlank(values.get(p.name())) ? p.defaultValue() : values.get(p.name());
        for (Dependent d : dependents) {
            if (d.trigger().equals(p.name()) && d.appliesTo(value)) {
                d.parameters().forEach(dependent -> add(dependent, values, out));
            }
        }
    }

    /** The parameter called {@code name}, or null. */
    public Parameter get(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst().orElse(null);
    }

    /** The positional parameter of the slash command: the first required one. */
    public Parameter positional() {
        return always.stream().filter(p -> p.required() && !isChoice(p)).findFirst().orElse(null);
    }

    /** Required parameters that have no value and no default. */
    public List<Parameter> missing(Map<String, String> values) {
        return shown(values).stream()
                .filter(p -> p.required() && p.defaultValue() == null && isBlank(values.get(p.name())))
                .toList();
    }

    /** The values with defaults filled in and typed as the schema says (integer, boolean, array). */
    public Map<String, Object> withDefaults(Map<String, String> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Parameter p : shown(values)) {
            if (isChoice(p)) {
                continue; // the form's choice, not a value of the template's
            }
            String v = values.get(p.name());
            if (isBlank(v)) {
                v = p.defaultValue();
            }
            if (v != null) {
                out.put(p.name(), typed(p, v));
            }
        }
        return out;
    }

    /**
     * Validates against the JSON Schema pages.
     *
     * @param values the values from {@link #withDefaults}
     * @return one violation per broken rule, naming the parameter, the rule and the value
     */
    public List<Violation> validate(Map<String, Object> values) {
        List<Violation> out = new ArrayList<>();
        JsonNode instance = JSON.valueToTree(values);
        for (Page page : pages) {
            for (Error m : errors(page, instance, values)) {
                String name = m.getProperty() != null && m.getKeyword().equals("required") ? m.getProperty()
                        : m.getInstanceLocation().getNameCount() > 0 ? m.getInstanceLocation().getName(0) : null;
                if (name == null && !dependents.isEmpty()) {
                    // a branch of dependencies that no value fits (oneOf at the top): name the values that decide
                    String triggers = String.join(", ", dependents.stream().map(Dependent::trigger).distinct().toList());
                    out.add(Violation.ofParameter(dependents.get(0).trigger(), m.getKeyword(), "the values of " + triggers
                            + " and the parameters they call for fit none of the template's choices (" + m.getMessage() + ")"));
                    continue;
                }
                Object value = values.get(name);
                Parameter p = get(name);
                String label = name == null ? "request" : name;
                String message = switch (m.getKeyword()) {
                    case "required" -> label + " is required" + (p != null && !p.description().isEmpty() ? " (" + p.description() + ")" : "");
                    case "enum" -> label + " " + Names.quote(String.valueOf(value)) + " is not one of " + (p == null ? "" : p.enumValues());
                    case "maxLength" -> label + " " + Names.quote(String.valueOf(value)) + " is longer than " + m.getArguments()[0] + " characters";
                    case "minLength" -> label + " " + Names.quote(String.valueOf(value)) + " is shorter than " + m.getArguments()[0] + " characters";
                    case "pattern" -> label + " " + Names.quote(String.valueOf(value)) + " does not match " + m.getArguments()[0];
                    case "minimum" -> label + " " + Names.quote(String.valueOf(value)) + " is less than " + m.getArguments()[0];
                    case "maximum" -> label + " " + Names.quote(String.valueOf(value)) + " is more than " + m.getArguments()[0];
                    case "type" -> label + " " + Names.quote(String.valueOf(value)) + " is not "
                            + (p == null ? "a valid value" : (p.type().matches("[aeiou].*") ? "an " : "a ") + p.type());
                    default -> label + ": " + m.getMessage();
                };
                out.add(Violation.ofParameter(label, m.getKeyword(), message));
            }
        }
        for (Parameter p : parameters) {
            if (REPO_URL_PICKER.equals(p.uiField()) && values.get(p.name()) instanceof String url) {
                try {
                    BackstageFilters.parseRepoUrl(url);
                } catch (TemplateRenderer.TemplateException e) {
                    out.add(Violation.ofParameter(p.name(), "format", p.name() + " " + Names.quote(url) + " is not a "
                            + "repository: write owner/repository (e.g. acme/payments), its address "
                            + "(https://github.com/acme/payments) or Backstage's form github.com?owner=acme&repo=payments"));
                }
            }
        }
        return out;
    }

    /**
     * A page's errors for {@code instance}; when it fits none of its {@code oneOf} choices, the errors of the choice
     * whose parameters it gives most of (the one the person filled), which name the fields and rules concerned.
     */
    private static List<Error> errors(Page page, JsonNode instance, Map<String, Object> values) {
        List<Error> all = page.schema().validate(instance);
        if (all.isEmpty() || page.choices().isEmpty()) {
            return all;
        }
        int best = 0;
        long most = -1;
        for (int i = 0; i < page.names().size(); i++) {
            long given = page.names().get(i).stream().filter(values::containsKey).count();
            if (given > most) {
                most = given;
                best = i;
            }
        }
        List<Error> chosen = page.choices().get(best).validate(instance);
        return chosen.isEmpty() ? all : chosen;
    }

    /** Backstage's field extension for a repository location: its value is {@code host?owner=o&repo=r}. */
    public static final String REPO_URL_PICKER = "RepoUrlPicker";

    /** {@code owner/repository}, as a person types a GitHub repository in Slack. */
    private static final Pattern OWNER_SLASH_REPO = Pattern.compile("([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]{1,100})");
    /** A repository's web address, {@code https://github.com/acme/payments(.git)}. */
    private static final Pattern REPO_ADDRESS = Pattern.compile("https://([A-Za-z0-9.-]+)/([A-Za-z0-9][A-Za-z0-9-]{0,38})/([A-Za-z0-9._-]{1,100}?)(?:\\.git)?/?");

    /**
     * A {@code ui:field: RepoUrlPicker} value in Backstage's form, {@code host?owner=o&repo=r}, from what a person types
     * in Slack: {@code acme/payments} (on github.com) or {@code https://github.com/acme/payments}; anything else as typed
     * (then checked by {@link #validate}).
     */
    static String repoUrl(String typed) {
        String v = typed.strip();
        Matcher ownerRepo = OWNER_SLASH_REPO.matcher(v);
        if (ownerRepo.matches()) {
            return "github.com?owner=" + ownerRepo.group(1) + "&repo=" + ownerRepo.group(2);
        }
        Matcher address = REPO_ADDRESS.matcher(v);
        if (address.matches()) {
            return address.group(1) + "?owner=" + address.group(2) + "&repo=" + address.group(3);
        }
        return v;
    }

    private static Object typed(Parameter p, String v) {
        if (REPO_URL_PICKER.equals(p.uiField()) && "string".equals(p.type())) {
            return repoUrl(v);
        }
        if (EntityPickers.storesRef(p) && "string".equals(p.type())) {
            // a name typed in a command, as Backstage's picker completes it: group:default/<name>
            String ref = EntityPickers.ref(p, v);
            return ref == null ? v.strip() : ref;
        }
        return switch (p.type()) {
            case "integer" -> {
                try {
                    yield Long.parseLong(v.trim());
                } catch (NumberFormatException e) {
                    yield v;
                }
            }
            case "boolean" -> v.equalsIgnoreCase("true") ? Boolean.TRUE : v.equalsIgnoreCase("false") ? Boolean.FALSE : v;
            case "array" -> List.of(v.split(",")).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
            default -> v;
        };
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
