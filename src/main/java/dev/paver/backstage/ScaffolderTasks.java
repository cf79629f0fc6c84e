package dev.paver.backstage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paver.core.goldenpath.CatalogEntities;
import java.net.URLEncoder;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backstage as the engine, second part (issue 15, point 4): a golden path's run is a task of Backstage's Scaffolder
 * ({@code POST /api/scaffolder/v2/tasks} with {@code {templateRef, values}}, answered {@code 201 {id}}), followed
 * through its events ({@code GET /api/scaffolder/v2/tasks/{id}/events?after=<event id>}, a long poll that answers
 * within 30 s, an empty list when nothing happened), which {@link Progress} folds into the state of each step.
 * Shapes from {@code @backstage/plugin-scaffolder-backend}'s router and task store (3.0.1): an event is
 * {@code {id, type: log|completion|cancelled|recovered, body: {message, stepId?, status?, error?, output?}}}; a step's
 * status is {@code processing}, {@code completed}, {@code failed} or {@code skipped}.
 */
public final class ScaffolderTasks {

    /** How long one events request may wait: Backstage answers a long poll within 30 s. */
    static final Duration EVENTS_WAIT = Duration.ofSeconds(40);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BackstageApi api;

    ScaffolderTasks(BackstageApi api) {
        this.api = api;
    }

    /**
     * Starts a task of the template with the form's values.
     *
     * @param values the parameters, as Backstage's form would send them
     * @return the task's id
     * @throws CatalogEntities.Unavailable when Backstage cannot be asked or refuses (the values against the template's
     *                                     schema: HTTP 400 with each error; an unknown template: 404)
     */
    public String start(BackstageTemplates.TemplateRef template, Map<String, ?> values) {
        return start(template.entityRef(), values);
    }

    /**
     * Starts a task of the Template {@code templateRef} ({@code template:<namespace>/<name>}) with the form's values.
     *
     * @throws CatalogEntities.Unavailable as {@link #start(BackstageTemplates.TemplateRef, Map)} does
     */
    public String start(String templateRef, Map<String, ?> values) {
        ObjectNode body = JSON.createObjectNode().put("templateRef", templateRef);
        body.set("values", JSON.valueToTree(values));
        String id = api.post("/api/scaffolder/v2/tasks", body).path("id").asText("");
        if (id.isEmpty()) {
            throw new CatalogEntities.Unavailable("Backstage at " + api.baseUrl() + " started a task of "
                    + templateRef + " but gave no task id");
        }
        return id;
    }

    /**
     * The task's events after {@code after} (0: all), waiting up to {@link #EVENTS_WAIT} for one.
     *
     * @throws CatalogEntities.Unavailable when Backstage cannot be asked or does not know the task
     */
    public List<Event> events(String taskId, long after) {
        return events(taskId, after, EVENTS_WAIT);
    }

    /**
     * The task's events after {@code after} (0: all), waiting at most {@code wait} for one: when none came by then, an
     * empty list (the request is given up; Backstage's long poll would answer so after 30 s).
     *
     * @throws CatalogEntities.Unavailable when Backstage cannot be asked or does not know the task
     */
    public List<Event> events(String taskId, long after, Duration wait) {
        JsonNode answer;
        try {
            answer = api.get(taskPath(taskId) + "/events" + (after > 0 ? "?after=" + after : ""), wait);
        } catch (CatalogEntities.Unavailable e) {
            if (e.getCause() instanceof HttpTimeoutException) {
                return List.of();
            }
            throw e;
        }
        List<Event> events = new ArrayList<>();
        for (JsonNode event : answer) {
            JsonNode body = event.path("body");
            Map<String, Object> output = body.path("output").isObject()
                    ? JSON.convertValue(body.path("output"), new TypeReference<Map<String, Object>>() { }) : Map.of();
            events.add(new Event(event.path("id").asLong(), event.path("type").asText(""),
                    body.path("stepId").asText(""), body.path("status").asText(""), body.path("message").asText(""),
                    body.path("error").path("message").asText(""), output));
        }
        return events;
    }

    /**
     * The names of the task's steps ({@code GET /api/scaffolder/v2/tasks/{id}}: {@code spec.steps[].{id, name}}), by id,
     * in the Template's order.
     *
     * @throws CatalogEntities.Unavailable when Backstage cannot be asked or does not know the task
     */
    public Map<String, String> stepNames(String taskId) {
        Map<String, String> names = new LinkedHashMap<>();
        for (JsonNode step : api.get(taskPath(taskId)).path("spec").path("steps")) {
            String id = step.path("id").asText("");
            names.put(id, step.path("name").asText(id));
        }
        return names;
    }

    /**
     * Cancels the task ({@code POST /api/scaffolder/v2/tasks/{id}/cancel}, answered {@code {status: cancelled}}).
     *
     * @throws CatalogEntities.Unavailable when Backstage cannot be asked or does not know the task
     */
    public void cancel(String taskId) {
        api.post(taskPath(taskId) + "/cancel", JSON.createObjectNode());
    }

    private static String taskPath(String taskId) {
        return "/api/scaffolder/v2/tasks/" + URLEncoder.encode(taskId, StandardCharsets.UTF_8);
    }

    /**
     * One event of a task.
     *
     * @param id      its id, increasing; the {@code after} of the next request
     * @param type    {@code log}, {@code completion}, {@code cancelled} or {@code recovered}
     * @param stepId  the step it is about, "" for the task's own
     * @param status  a step's new status, "" when the event is only a log line
     * @param message the log line, or the completion's message ({@code Run completed with status: failed})
     * @param error   a failed completion's error message, else ""
     * @param output  a completion's task output ({@code links}, {@code text}, the Template's own keys), else empty
     */
    public record Event(long id, String type, String stepId, String status, String message, String error,
                        Map<String, Object> output) {
        public Event {
            output = output == null ? Map.of() : output;
        }

        /** An event with no output. */
        public Event(long id, String type, String stepId, String status, String message, String error) {
            this(id, type, stepId, status, message, error, Map.of());
        }
    }

    /**
     * A task's progress as its events tell it: each step's last status, in the order steps started, and once the
     * task has ended whether it succeeded and, when it failed, Backstage's last log line of the failed step.
     */
    public static final class Progress {
        private final Map<String, String> steps = new LinkedHashMap<>();
        private final Map<String, String> lastLine = new LinkedHashMap<>();
        private long after;
        private boolean ended;
        private boolean failed;
        private String failure = "";
        private Map<String, Object> output = Map.of();

        /** Takes events in; a completion already taken (Backstage sends it with every answer) changes nothing. */
        public void take(List<Event> events) {
            for (Event event : events) {
                if (event.id() <= after && !event.type().equals("completion")) {
                    continue;
                }
                after = Math.max(after, event.id());
                if (!event.stepId().isEmpty()) {
                    if (!event.status().isEmpty()) {
                        steps.put(event.stepId(), event.status());
                    } else if (!event.message().isBlank()) {
                        lastLine.put(event.stepId(), event.message().strip());
                    }
                }
                if (!ended && (event.type().equals("completion") || event.type().equals("cancelled"))) {
                    ended = true;
                    failed = !event.type().equals("completion") || !event.error().isEmpty()
                            || steps.containsValue("failed") || event.message().endsWith("failed");
                    String failedStep = steps.entrySet().stream().filter(s -> s.getValue().equals("failed"))
                            .map(Map.Entry::getKey).findFirst().orElse("");
                    failure = !event.error().isEmpty() ? event.error()
                            : lastLine.getOrDefault(failedStep, event.message());
                    output = failed ? Map.of() : event.output();
                }
            }
        }

        /** The id to ask for events after. */
        public long after() {
            return after;
        }

        /**
         * Step id to its last status ({@code processing}, {@code completed}, {@code failed}, {@code skipped}), in the
         * order steps started.
         */
        public Map<String, String> steps() {
            return Collections.unmodifiableMap(new LinkedHashMap<>(steps)); // Map.copyOf would lose the order
        }

        /** Whether the task has ended (completed, failed or cancelled). */
        public boolean ended() {
            return ended;
        }

        /** Whether it ended other than completed. */
        public boolean failed() {
            return failed;
        }

        /** When it completed: the task's output; else empty. */
        public Map<String, Object> output() {
            return output;
        }

        /** When it failed: the error, or the failed step's last log line; else "". */
        public String failure() {
            return failed ? failure : "";
        }
    }
}
