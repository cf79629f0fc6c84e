package dev.paver.backstage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client of a Backstage Scaffolder's dry-run: {@code POST /api/scaffolder/v2/dry-run} renders a template with
 * given values and returns the files its steps left in the workspace, without publishing anything. Shapes from
 * {@code @backstage/plugin-scaffolder-backend}'s router ({@code src/service/router.ts}, 3.0.1): the request is
 * {@code {template, values, secrets, directoryContents: [{path, base64Content}]}}, where the directory contents are
 * the template's folder ({@code template.yaml} sits at its root, so {@code url: ./skeleton} is {@code skeleton/});
 * the answer is {@code {log: [{body: {message, stepId?, status?}}], directoryContents: [{path, executable,
 * base64Content}], output, steps}}.
 */
public final class ScaffolderClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param baseUrl the backend's base URL, e.g. {@code http://127.0.0.1:7007}
     * @param token   a static external-access token of that backend
     */
    public ScaffolderClient(URI baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    /**
     * What a dry run produced.
     *
     * @param files  the workspace after the run: path (with {@code /}) to content, sorted by path
     * @param log    the messages of the run's log, in order (Backstage's logger colours them with ANSI codes)
     * @param output the template's rendered {@code output}
     */
    public record DryRun(Map<String, byte[]> files, List<LogLine> log, JsonNode output) {

        /** The file's content as UTF-8 text, or null when the run did not write it. */
        public String text(String path) {
            byte[] content = files.get(path);
            return content == null ? null : new String(content, StandardCharsets.UTF_8);
        }

        /**
         * The rendered input of a step, as Backstage logs it in a dry run ({@code "Running <action> in dry-run mode
         * with inputs (secrets redacted): <JSON>"}; NunjucksWorkflowRunner).
         *
         * @throws IllegalStateException when the log has no such line for the step
         */
        public JsonNode stepInput(String stepId) {
            String marker = "in dry-run mode with inputs (secrets redacted): ";
            for (LogLine line : log) {
                int at = line.message().indexOf(marker);
                if (stepId.equals(line.stepId()) && at >= 0) {
                    try {
                        return JSON.readTree(line.message().substring(at + marker.length()));
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("the dry-run log line of step " + stepId + " is not JSON: "
                                + line.message(), e);
                    }
                }
            }
            throw new IllegalStateException("the dry-run log has no input of step " + stepId + ": " + log);
        }
    }

    /** One line of a dry run's log. */
    public record LogLine(String stepId, String message) {
    }

    /** Backstage refused the dry run or could not complete it. */
    public static final class DryRunFailed extends RuntimeException {
        private final int status;

        DryRunFailed(int status, String body) {
            super("the Scaffolder's dry run answered HTTP " + status + ": " + body);
            this.status = status;
        }

        /** The HTTP status of the answer. */
        public int status() {
            return status;
        }
    }

    /**
     * Renders a template with Backstage's Scaffolder.
     *
     * @param template          the Template entity (as parsed YAML: {@code apiVersion}, {@code kind}, {@code metadata},
     *                          {@code spec}); every step's action must exist in the backend
     * @param values            the parameters' values, as the form would send them
     * @param secrets           the {@code secrets} of the run
     * @param directoryContents the template's folder: path relative to it (with {@code /}) to content
     * @throws DryRunFailed when Backstage answers other than 200 (a value the schema refuses, an unknown action, a
     *                      template that cannot be rendered); the message holds Backstage's answer
     */
    public DryRun dryRun(Map<String, ?> template, Map<String, ?> values, Map<String, String> secrets,
                         Map<String, byte[]> directoryContents) {
        ObjectNode body = JSON.createObjectNode();
        body.set("template", JSON.valueToTree(template));
        body.set("values", JSON.valueToTree(values));
        body.set("secrets", JSON.valueToTree(secrets));
        ArrayNode contents = body.putArray("directoryContents");
        directoryContents.forEach((path, content) -> contents.addObject()
                .put("path", path).put("base64Content", Base64.getEncoder().encodeToString(content)));
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("/api/scaffolder/v2/dry-run"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the Scaffolder at " + baseUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a dry run", e);
        }
        if (response.statusCode() != 200) {
            throw new DryRunFailed(response.statusCode(), response.body());
        }
        JsonNode answer;
        try {
            answer = JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the Scaffolder's dry run answered with no JSON: " + response.body(), e);
        }
        Map<String, byte[]> files = new TreeMap<>();
        for (JsonNode file : answer.path("directoryContents")) {
            files.put(file.path("path").asText(), Base64.getDecoder().decode(file.path("base64Content").asText()));
        }
        List<LogLine> log = new ArrayList<>();
        for (JsonNode line : answer.path("log")) {
            JsonNode lineBody = line.path("body");
            log.add(new LogLine(lineBody.hasNonNull("stepId") ? lineBody.get("stepId").asText() : null,
                    lineBody.path("message").asText()));
        }
        return new DryRun(files, List.copyOf(log), answer.path("output"));
    }
}
