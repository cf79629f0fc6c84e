package dev.paver.backstage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.core.action.FetchTemplateAction;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathFixtures;
import dev.paver.core.goldenpath.TemplateRenderer;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.RunEngine;
import dev.paver.core.run.RunRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Paver renders templates as Backstage does, checked against a real Backstage backend ({@link BackstageBackend}).
 *
 * <p>Backstage's templates: each template of {@code src/test/resources/backstage-templates/}
 * is rendered by a real Backstage backend ({@link BackstageBackend}, its Scaffolder's dry run) and by Paver, with
 * the same values, and the two are compared byte for byte, for each {@code fetch:} step of a folder of the template:
 * <ol>
 *   <li>its rendered input ({@code url}, {@code values}, ...): Backstage's as its dry run logs it, Paver's as
 *       {@link TemplateRenderer#renderValue} makes it in the context the run engine gives a step;</li>
 *   <li>the files it writes: Backstage's dry-run files, and Paver's {@link FetchTemplateAction} run on the input
 *       Backstage rendered (so that a difference in 1 does not hide what the skeleton itself renders to).</li>
 * </ol>
 * Only those steps are sent to Backstage: the others publish, call GitHub or fetch from it, and the test backend has
 * no GitHub module (the Scaffolder refuses a template whose action it does not know, even in a dry run).
 *
 * <p>Where the two differ today, the difference is listed in {@link #KNOWN}, and the test checks that exactly those
 * differ: it fails when a difference appears, and also when a known one is gone (then remove it from the list).
 *
 * <p>Paver's golden paths: every example's {@code fetch:template} steps, with the input Paver's engine rendered, are
 * rendered by Backstage too, and every file must be equal.
 */
class BackstageFidelityTest {

    private static final Path TEMPLATES = Path.of("src", "test", "resources", "backstage-templates");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where Paver and Backstage differ today: template, then the step input or file, then why. */
    private static final List<Known> KNOWN = List.of(
            new Known("docs-template", "docs/index.md",
                    "Paver escapes Markdown characters in values written to .md files (the & of the description "
                            + "becomes \\&); Backstage's Nunjucks runs with autoescape off"),
            new Known("demo-template", "steps[fetch-skeleton].input",
                    "token: ${{ secrets.USER_OAUTH_TOKEN or false }} is the user's GitHub token in Backstage (the "
                            + "RepoUrlPicker asks for it), false in Paver: a request from Slack carries no secrets, and "
                            + "Paver never gives its own credentials to templates (RunEngine#templateContext)"));

    private record Known(String template, String where, String why) {
    }

    /**
     * A template, the values the form would send and the secrets of the run; the label names the case in messages and
     * in {@link #KNOWN} (the template's name, or it and what sets the case apart).
     */
    private record Case(String label, String template, Map<String, Object> values, Map<String, String> secrets) {
        Case(String template, Map<String, Object> values, Map<String, String> secrets) {
            this(template, template, values, secrets);
        }
    }

    private static final List<Case> CASES = List.of(
            new Case("docs-template", ordered(
                    "name", "payments-docs",
                    "description", "Runbooks & how-tos for the payments team",
                    "owner", "group:default/team-a",
                    "repoUrl", "github.com?owner=acme&repo=payments-docs"), Map.of()),
            new Case("demo-template", ordered(
                    "name", "Ada Lovelace",
                    "mode", "dark",
                    "topics", List.of("writing-templates", "builtin-actions"),
                    "repoUrl", "github.com?owner=acme&repo=landing-page"),
                    // the form's RepoUrlPicker asks for the user's GitHub token (requestUserCredentials); without it
                    // Backstage refuses the step (its token input must be text, and false is not)
                    Map.of("USER_OAUTH_TOKEN", "gho_fidelity")),
            new Case("pull-request", ordered(
                    "name", "landing",
                    "description", "The landing page",
                    "repoUrl", "github.com?owner=acme&repo=website"), Map.of()),
            new Case("springboot-grpc-template", ordered(
                    "component_id", "payments-api",
                    "java_package_name", "com.acme.payments",
                    "description", "Takes payments",
                    "owner", "group:default/team-a",
                    "repoUrl", "github.com?owner=acme&repo=payments-api"), Map.of()),
            new Case("springboot-grpc-template without description", "springboot-grpc-template", ordered(
                    "component_id", "ledger-api",
                    "java_package_name", "com.acme.ledger",
                    "owner", "group:default/team-a",
                    "repoUrl", "github.com?owner=acme&repo=ledger-api"), Map.of()));

    @RegisterExtension
    static final BackstageBackend.PerClass BACKSTAGE = new BackstageBackend.PerClass();


    @Test
    void paverRendersTheTemplatesAsBackstageDoesExceptTheKnownDifferences() throws IOException {
        Map<String, String> differences = new TreeMap<>();
        List<String> equal = new ArrayList<>();
        for (Case c : CASES) {
            compare(c, differences, equal);
        }
        StringBuilder report = new StringBuilder();
        differences.forEach((where, detail) -> report.append("\n--- ").append(where).append('\n').append(detail));
        System.out.printf("Backstage fidelity: %d equal %s, %d different:%s%n", equal.size(), equal,
                differences.size(), report);

        TreeSet<String> expected = new TreeSet<>();
        KNOWN.forEach(k -> expected.add(k.template() + ": " + k.where()));
        assertThat(differences.keySet())
                .as("what Paver renders differently from Backstage (KNOWN lists what is expected to differ today):%s",
                        report)
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(equal).as("step inputs and files rendered equal").hasSizeGreaterThanOrEqualTo(7);
    }

    /**
     * Paver's own golden paths: each example's {@code fetch:template} steps, with the input Paver's engine rendered for
     * them (their {@code platform} values are Paver's), are sent to Backstage as a template of those steps alone; the
     * files must be those Paver's steps wrote.
     */
    @Test
    void backstageRendersTheSkeletonsOfPaversGoldenPathsAsPaverDoes() throws IOException {
        Map<String, String> differences = new TreeMap<>();
        List<String> equal = new ArrayList<>();
        for (GoldenPath path : GoldenPathFixtures.templates().all()) {
            if (path.steps().stream().noneMatch(step -> step.action().equals("fetch:template"))) {
                continue;
            }
            for (Map<String, String> example : path.examples()) {
                List<GoldenPathFixtures.Fetch> fetches = GoldenPathFixtures.fetchesOfExample(path.id(), example);
                if (fetches.isEmpty()) {
                    continue;
                }
                String label = path.id() + " " + example;
                List<Map<String, Object>> steps = new ArrayList<>();
                Map<String, String> paverFiles = new TreeMap<>();
                for (GoldenPathFixtures.Fetch fetch : fetches) {
                    steps.add(ordered("id", fetch.stepId(), "action", "fetch:template", "input", fetch.input()));
                    paverFiles.putAll(fetch.files());
                }
                Map<String, Object> template = ordered("apiVersion", "scaffolder.backstage.io/v1beta3", "kind", "Template",
                        "metadata", ordered("name", path.id()),
                        "spec", ordered("type", "service", "parameters", List.of(), "steps", steps));
                ScaffolderClient.DryRun dryRun = BACKSTAGE.backend().scaffolder().dryRun(template, Map.of(), Map.of(),
                        contents(path.folder()));
                compareFiles(label, dryRun.files(), paverFiles, differences, equal);
            }
        }
        StringBuilder report = new StringBuilder();
        differences.forEach((where, detail) -> report.append("\n--- ").append(where).append('\n').append(detail));
        System.out.printf("Backstage fidelity of the golden paths: %d files equal, %d different:%s%n", equal.size(),
                differences.size(), report);

        assertThat(differences.keySet()).as("files of Paver's golden paths that Backstage renders differently:%s", report)
                .isEmpty();
        assertThat(equal).as("files rendered equal").isNotEmpty();
    }

    private static void compare(Case c, Map<String, String> differences, List<String> equal) throws IOException {
        Path folder = TEMPLATES.resolve(c.template());
        Map<String, Object> template = template(folder);
        List<Map<String, Object>> fetchSteps = fetchSteps(template);
        Map<String, Object> sent = new LinkedHashMap<>(template);
        Map<String, Object> spec = new LinkedHashMap<>(spec(template));
        spec.put("steps", fetchSteps);
        sent.put("spec", spec);

        ScaffolderClient.DryRun dryRun = BACKSTAGE.backend().scaffolder().dryRun(sent, c.values(), c.secrets(), contents(folder));

        Map<String, String> paverFiles = new TreeMap<>();
        TemplateRenderer renderer = new TemplateRenderer();
        for (Map<String, Object> step : fetchSteps) {
            String id = String.valueOf(step.get("id"));
            String where = c.label() + ": steps[" + id + "].input";
            JsonNode backstageInput = dryRun.stepInput(id);
            String paverInput;
            try {
                paverInput = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(redacted(TemplateRenderer.defined(
                        renderer.renderValue("steps[" + id + "].input", step.get("input"), engineContext(c))),
                        c.secrets()));
            } catch (TemplateRenderer.TemplateException e) {
                paverInput = "(Paver cannot render it: " + e.getMessage() + ")";
            }
            String backstageText = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(backstageInput);
            if (backstageText.equals(paverInput)) {
                equal.add(where);
            } else {
                differences.put(where, "Backstage:\n" + backstageText + "\nPaver:\n" + paverInput);
            }
            if ("fetch:template".equals(step.get("action"))) {
                Map<String, String> written = new TreeMap<>();
                ActionResult result = paverFetchTemplate(c, folder, id,
                        JSON.convertValue(backstageInput, new TypeReference<Map<String, Object>>() { }), written);
                if (result instanceof ActionResult.Failed failed) {
                    // the files are not compared then: Backstage's would all be reported as written by it only
                    differences.put(c.label() + ": steps[" + id + "]", "Backstage renders it, Paver fails: "
                            + failed.reason());
                    return;
                }
                paverFiles.putAll(written);
            }
        }

        compareFiles(c.label(), dryRun.files(), paverFiles, differences, equal);
    }

    /** Compares Backstage's files with Paver's byte for byte; {@code label: path} goes to one list or the other. */
    private static void compareFiles(String label, Map<String, byte[]> backstageFiles, Map<String, String> paverFiles,
                                     Map<String, String> differences, List<String> equal) {
        TreeSet<String> paths = new TreeSet<>(backstageFiles.keySet());
        paths.addAll(paverFiles.keySet());
        for (String path : paths) {
            String where = label + ": " + path;
            byte[] expected = backstageFiles.get(path);
            String actual = paverFiles.get(path);
            if (expected == null || actual == null) {
                differences.put(where, expected == null ? "only Paver writes it" : "only Backstage writes it");
            } else if (Arrays.equals(expected, actual.getBytes(StandardCharsets.UTF_8))) {
                equal.add(where);
            } else {
                differences.put(where, firstDifference(new String(expected, StandardCharsets.UTF_8), actual));
            }
        }
    }

    /** The context the run engine gives a step ({@link RunEngine#templateContext}), before any step output. */
    private static Map<String, Object> engineContext(Case c) {
        return RunEngine.templateContext(paverPath(c), request(c), "fidelity", Map.of());
    }

    /** The template as Paver loads it (its declared parameters, its steps). */
    private static GoldenPath paverPath(Case c) {
        Path folder = TEMPLATES.resolve(c.template());
        return GoldenPathCatalog.load(TEMPLATES).all().stream()
                .filter(path -> path.folder().getFileName().equals(folder.getFileName())).findFirst()
                .orElseThrow(() -> new AssertionError(c.template() + " does not load in Paver: "
                        + GoldenPathCatalog.load(TEMPLATES).problems()));
    }

    private static RunRequest request(Case c) {
        return new RunRequest(c.template(), c.values(), Map.of(), "U0PAVER01", RunRequest.Origin.TYPED, "C0PAVER01");
    }

    /** The value with every text equal to a secret replaced by {@code ***}, as Backstage logs a step's input. */
    private static Object redacted(Object value, Map<String, String> secrets) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, redacted(v, secrets)));
            return out;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(v -> redacted(v, secrets)).toList();
        }
        return value instanceof String text && secrets.containsValue(text) ? "***" : value;
    }

    /** Runs Paver's fetch:template for a step with this (rendered) input; the files go to {@code workspace}. */
    private static ActionResult paverFetchTemplate(Case c, Path folder, String stepId, Map<String, Object> input,
                                                   Map<String, String> workspace) {
        GoldenPath path = paverPath(c);
        RunRequest request = request(c);
        Instant now = Instant.now();
        return new FetchTemplateAction(new TemplateRenderer()).execute(new ActionContext("fidelity", stepId, now, now,
                request, path, input, workspace, Clock.systemUTC()));
    }

    /** Where two texts first differ, with the lines around it, and both texts' lengths. */
    private static String firstDifference(String expected, String actual) {
        int at = 0;
        while (at < expected.length() && at < actual.length() && expected.charAt(at) == actual.charAt(at)) {
            at++;
        }
        int line = (int) expected.substring(0, at).chars().filter(ch -> ch == '\n').count() + 1;
        return "first difference at character " + at + " (line " + line + "); Backstage " + expected.length()
                + " characters, Paver " + actual.length() + "\nBackstage:\n" + around(expected, at) + "\nPaver:\n"
                + around(actual, at);
    }

    /** The line before the one where {@code at} is, that line and two after; line ends shown as a return sign. */
    private static String around(String text, int at) {
        int lineStart = text.lastIndexOf('\n', at - 1) + 1;
        int from = lineStart == 0 ? 0 : text.lastIndexOf('\n', lineStart - 2) + 1;
        int to = at;
        for (int i = 0; i < 3 && to >= 0 && to < text.length(); i++) {
            to = text.indexOf('\n', to + 1);
        }
        return text.substring(from, to < 0 ? text.length() : to).replace("\n", "\u21b5\n");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> template(Path folder) throws IOException {
        try (InputStream in = Files.newInputStream(folder.resolve("template.yaml"))) {
            return (Map<String, Object>) new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> spec(Map<String, Object> template) {
        return (Map<String, Object>) template.get("spec");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> fetchSteps(Map<String, Object> template) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Object step : (List<Object>) spec(template).get("steps")) {
            Map<String, Object> s = (Map<String, Object>) step;
            Object url = s.get("input") instanceof Map<?, ?> input ? input.get("url") : null;
            if (String.valueOf(s.get("action")).startsWith("fetch:") && String.valueOf(url).startsWith("./")) {
                steps.add(s);
            }
        }
        assertThat(steps).as("the fetch steps of a folder of %s", template.get("metadata")).isNotEmpty();
        return steps;
    }

    /** The template's folder as the dry run takes it: path relative to the folder to content. */
    private static Map<String, byte[]> contents(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }
}
