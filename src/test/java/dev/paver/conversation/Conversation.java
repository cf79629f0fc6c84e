package dev.paver.conversation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A conversation file ({@code conversations/<golden-path>/<scenario>.yaml}, format in {@code conversations/README.md}):
 * who is in it, the channel, whether a cluster is configured, whether Paver is given the Sealed Secrets controller's
 * certificate, how Paver reaches git ({@code git: local}, the default, {@code git: daemon} or {@code git: github}), the
 * required checks of the GitHub stand-in's repositories ({@code checks:}, with {@code git: github}), the environments
 * with a cluster of their own ({@code clusters: [dev, prod]}), whether a real Backstage backend is Paver's engine
 * ({@code backstage: engine}, with {@code git: github}), and the steps in order.
 */
public record Conversation(Path file, String title, String description, Map<String, String> people, String channel,
                           boolean cluster, Map<String, String> slackRefuses, List<Map<String, Object>> steps,
                           Map<String, Object> settings, List<String> namespaces, boolean sealedSecrets, String git,
                           List<String> clusters, List<Check> checks, boolean backstage) {

    /** A conversation without Backstage as the engine. */
    public Conversation(Path file, String title, String description, Map<String, String> people, String channel,
                        boolean cluster, Map<String, String> slackRefuses, List<Map<String, Object>> steps,
                        Map<String, Object> settings, List<String> namespaces, boolean sealedSecrets, String git,
                        List<String> clusters, List<Check> checks) {
        this(file, title, description, people, channel, cluster, slackRefuses, steps, settings, namespaces, sealedSecrets,
                git, clusters, checks, false);
    }

    /**
     * A required check of a repository on the GitHub stand-in ({@code checks:}, format in {@code conversations/README.md}).
     *
     * @param kind     {@code check_run} or {@code status}
     * @param succeeds its conclusion: {@code success} (true) or {@code failure}
     * @param after    how long it is pending after a commit, on Paver's clock
     * @param url      a check run's {@code details_url} or a status's {@code target_url}; null: the stand-in's own
     */
    public record Check(String repository, String name, String kind, boolean succeeds, Duration after, String url) {

        /**
         * Reads one entry of {@code checks:}.
         *
         * @throws IllegalArgumentException naming the file and the value that is wrong
         */
        static Check read(Path file, Map<String, Object> c) {
            String where = file + ": checks " + c;
            String repository = String.valueOf(c.getOrDefault("repository", ""));
            String name = String.valueOf(c.getOrDefault("name", ""));
            if (repository.isBlank() || name.isBlank()) {
                throw new IllegalArgumentException(where + ": a check needs a repository and a name");
            }
            String kind = String.valueOf(c.getOrDefault("kind", "check_run"));
            if (!List.of("check_run", "status").contains(kind)) {
                throw new IllegalArgumentException(where + ": kind is check_run (the default) or status, not " + kind);
            }
            String conclusion = String.valueOf(c.getOrDefault("conclusion", "success"));
            if (!List.of("success", "failure").contains(conclusion)) {
                throw new IllegalArgumentException(where + ": conclusion is success (the default) or failure, not " + conclusion);
            }
            Duration after;
            try {
                after = Duration.parse("PT" + String.valueOf(c.getOrDefault("after", "0s")).toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(where + ": after is a duration such as 30s or 2m, not " + c.get("after"), e);
            }
            return new Check(repository, name, kind, conclusion.equals("success"), after,
                    c.containsKey("url") ? String.valueOf(c.get("url")) : null);
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /**
     * Reads a conversation file.
     *
     * @throws IllegalArgumentException when the file holds a key the format does not know ({@link ConversationFormat})
     */
    public static Conversation read(Path file) throws IOException {
        return parse(file, Files.readString(file));
    }

    /**
     * A conversation from its text; {@code file} names it in messages.
     *
     * @throws IllegalArgumentException naming the file, the step and the key when the text holds a key the format does
     *                                  not know, or has no steps
     */
    @SuppressWarnings("unchecked")
    public static Conversation parse(Path file, String text) throws IOException {
        Map<String, Object> doc = YAML.readValue(text, Map.class);
        if (doc == null) {
            throw new IllegalArgumentException(file + ": an empty conversation");
        }
        ConversationFormat.check(file.toString(), doc);
        Object steps = doc.get("steps");
        String git = String.valueOf(doc.getOrDefault("git", "local"));
        if (!List.of("local", "daemon", "github").contains(git)) {
            throw new IllegalArgumentException(file + ": git is local (the default), daemon or github, not " + git);
        }
        List<Check> checks = ((List<Map<String, Object>>) doc.getOrDefault("checks", List.of())).stream()
                .map(c -> Check.read(file, c)).toList();
        if (!checks.isEmpty() && !git.equals("github")) {
            throw new IllegalArgumentException(file + ": checks exist on GitHub only; add git: github (plain git has no checks)");
        }
        Object backstage = doc.get("backstage");
        if (backstage != null && !backstage.equals("engine")) {
            throw new IllegalArgumentException(file + ": backstage is engine (a real Backstage backend runs the Templates), not "
                    + backstage);
        }
        if (backstage != null && !git.equals("github")) {
            throw new IllegalArgumentException(file + ": backstage: engine needs git: github (Paver follows the pull requests"
                    + " of Backstage's tasks on GitHub)");
        }
        return new Conversation(file, String.valueOf(doc.getOrDefault("title", file.getFileName().toString())),
                String.valueOf(doc.getOrDefault("description", "")).strip(),
                (Map<String, String>) doc.getOrDefault("people", Map.of()),
                String.valueOf(doc.getOrDefault("channel", "C0PLATFORM")),
                !Boolean.FALSE.equals(doc.get("cluster")), (Map<String, String>) doc.getOrDefault("slack_refuses", Map.of()),
                (List<Map<String, Object>>) steps, (Map<String, Object>) doc.getOrDefault("settings", Map.of()),
                (List<String>) doc.getOrDefault("namespaces", List.of()), Boolean.TRUE.equals(doc.get("sealed_secrets")), git,
                ((List<Object>) doc.getOrDefault("clusters", List.of())).stream().map(String::valueOf).toList(), checks,
                backstage != null);
    }

    /**
     * A channel and its people with no file or steps, to read a channel ({@link Transcript}) outside a replay, e.g.
     * around the packaged jar.
     */
    public static Conversation channel(String title, String channel, Map<String, String> people) {
        return new Conversation(Path.of(title), title, "", people, channel, false, Map.of(), List.of(), Map.of(), List.of(),
                false, "local", List.of(), List.of());
    }

    /** The display name of a Slack user id, or the id. */
    public String name(String userId) {
        return people.getOrDefault(userId, userId);
    }
}
