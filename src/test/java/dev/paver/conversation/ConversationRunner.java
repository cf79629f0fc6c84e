package dev.paver.conversation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paver.core.secret.TestKeys;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Replays a {@link Conversation} against a real Paver server: user turns go through {@code /slack/events} as
 * signed requests; outside events are real git merges (or merges and check re-runs on the GitHub stand-in, with
 * {@code git: github}) and Application status changes in the mock API server; with {@code backstage: engine} a real
 * Backstage backend runs the Templates ({@link Testbed#backstage()}); expectations read what Paver posted to
 * the Slack stand-in and pushed to its {@link GitHost}. Negative and exact expectations are
 * checked once Paver has settled ({@link #expect}); modal submissions take the shape Slack sends for each element Paver
 * put in the modal; private answers are checked against their recipient. Every wait is bounded ({@value #WAIT_SECONDS}
 * s). Throws {@link AssertionError} naming the step and what differs; the file's keys are checked by
 * {@link ConversationFormat} when it is read.
 */
public final class ConversationRunner implements AutoCloseable {

    static final int WAIT_SECONDS = 60;
    /** The bound of every wait, in seconds: {@value #WAIT_SECONDS} unless a test of the runner shortens it. */
    private int waitSeconds = WAIT_SECONDS;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Conversation conversation;
    private final Transcript transcript;
    private final Testbed testbed;
    private final SlackStandIn slack;
    private final ClusterStandIn cluster;
    /** Where Paver's repositories are: the bare repositories, or the GitHub stand-in with {@code git: github}. */
    private final GitHost git;
    /** The GitHub stand-in with {@code git: github}, else null. */
    private final GitHubStandIn github;
    private String lastMerge = "";
    private String lastHead = "";
    private final List<Long> ackMillis = new ArrayList<>();
    private int stepNumber;
    private final Path workDir;
    /** Paver's synchronous answers (acknowledgement bodies, modal errors), for {@code never_shown}. */
    private final List<String> answers = java.util.Collections.synchronizedList(new ArrayList<>());
    /** What Paver logged (at its configured levels), for {@code never_shown}. */
    private final List<String> logged = java.util.Collections.synchronizedList(new ArrayList<>());
    /** When the current step began, on the wall clock. */
    private java.time.Instant stepStarted;
    /** The warnings and errors among them, with time and thread, for a failed step's message. */
    private final List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
    private ch.qos.logback.core.AppenderBase<ch.qos.logback.classic.spi.ILoggingEvent> logCapture;
    /** How many modals Paver had opened when the latest slash command was sent. */
    private int modalsBeforeCommand;
    /**
     * The view a submission's {@code response_action: update} answer put in the modal (a next page), the Slack calls
     * made before it, and the hash Slack gave it; null when the latest submission closed the modal or showed errors.
     */
    private JsonNode answeredView;
    private int answeredAt;
    private String answeredHash;
    /** When the latest user turn or outside event ended ({@link System#nanoTime()}). */
    private long lastTurnNanos = System.nanoTime();
    /** The Slack calls made before the latest user turn or outside event began: later ones answer it. */
    private int turnCallIndex;
    /** Who asked last: the user of the latest {@code types} or {@code submits} step. */
    private String requester;
    /** The git refs as last seen, and when they were last seen to change. */
    private String gitRefs = "";
    private long gitChangedNanos = System.nanoTime();
    /** How long nothing may happen for a request to count as settled. */
    static final Duration QUIET = Duration.ofMillis(1500);
    /** The steps that are a user turn or an outside event: Paver may act on each. */
    private static final Set<String> TURNS = Set.of("types", "submits", "chooses", "clicks", "at_once", "opens_home", "merges", "pushes",
            "argocd", "crossplane", "time_passes", "restart", "reruns");

    /**
     * @param conversation the file to replay
     * @param workDir      an empty folder for git repositories and the database
     */
    public ConversationRunner(Conversation conversation, Path workDir) {
        this.conversation = conversation;
        this.workDir = workDir;
        this.testbed = new Testbed(workDir, conversation.cluster());
        this.slack = testbed.slack();
        this.cluster = testbed.cluster();
        this.transcript = new Transcript(conversation, slack);
        conversation.slackRefuses().forEach(slack::refuse);
        if (conversation.sealedSecrets()) {
            testbed.sealedSecretsController();
        }
        if (conversation.git().equals("daemon")) {
            testbed.gitDaemon();
        }
        this.github = conversation.git().equals("github") ? testbed.github() : null;
        this.git = testbed.gitHost();
        if (conversation.backstage()) {
            testbed.backstage();
        }
        for (Conversation.Check c : conversation.checks()) {
            github.check(c.repository(), c.name(), c.kind().equals("status") ? GitHubStandIn.CheckKind.STATUS
                    : GitHubStandIn.CheckKind.CHECK_RUN, c.succeeds(), c.after(), c.url());
        }
        conversation.settings().forEach((key, value) -> testbed.property(key, value instanceof List<?> list
                ? String.join(",", list.stream().map(String::valueOf).toList()) : String.valueOf(value)));
        for (String environment : conversation.clusters()) {
            testbed.environmentCluster(environment);
        }
        for (String namespace : conversation.namespaces()) {
            // in the cluster of the namespace's environment ({domain}-{env}-{service}) when it has one, else the default
            ClusterStandIn in = Arrays.stream(namespace.split("-")).map(testbed::clusterOf)
                    .filter(Objects::nonNull).findFirst().orElse(cluster);
            if (in != null) {
                in.client().namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                        .withNewMetadata().withName(namespace).endMetadata().build()).create();
            }
        }
    }

    /**
     * The cluster a step or expectation names with {@code cluster: <env>} (an environment of {@code clusters}), or the
     * default cluster when it names none.
     */
    private ClusterStandIn cluster(Object environment) {
        if (environment == null) {
            check(cluster != null, "this conversation has no cluster (cluster: false)");
            return cluster;
        }
        ClusterStandIn of = testbed.clusterOf(text(environment));
        check(of != null, "this conversation has no cluster of " + environment + " (clusters: " + conversation.clusters() + ")");
        return of;
    }

    /** Bounds every wait by {@code seconds} instead of {@value #WAIT_SECONDS} (tests of the runner itself). */
    ConversationRunner within(int seconds) {
        this.waitSeconds = seconds;
        return this;
    }

    /** Runs every step; returns the transcript. */
    public Transcript run() throws Exception {
        startPaver();
        for (Map<String, Object> step : conversation.steps()) {
            stepNumber++;
            stepStarted = java.time.Instant.now();
            boolean turn = step.keySet().stream().anyMatch(TURNS::contains);
            try {
                if (turn) {
                    turnCallIndex = slack.calls().size();
                }
                step(step);
                if (turn) {
                    lastTurnNanos = System.nanoTime();
                    gitRefs = git.refs();
                }
            } catch (AssertionError e) {
                throw new AssertionError(conversation.file() + " step " + stepNumber + " " + step.keySet() + ": "
                        + e.getMessage() + "\n--- what Paver said so far ---\n" + transcript.render() + diagnosis(), e);
            }
        }
        return transcript;
    }

    /**
     * What a failed step's message ends with, to tell a slow machine from a defect: the runs as stored (state, what
     * they wait for, each step's status and times on Paver's clock), Paver's Slack calls since the latest turn, and the
     * latest warnings Paver logged, with their times.
     */
    private String diagnosis() {
        StringBuilder out = new StringBuilder("\n--- the step began at ").append(stepStarted).append("; the runs as stored, at ")
                .append(java.time.Instant.now()).append(" ---\n");
        try {
            for (dev.paver.core.run.Run run : runs()) {
                out.append(run.id()).append(' ').append(run.request().goldenPath()).append(' ').append(run.state())
                        .append(" waiting for ").append(run.waitingFor()).append(", updated ").append(run.updatedAt()).append('\n');
                run.steps().forEach(step -> out.append("    ").append(step.stepId()).append(": ").append(step.status())
                        .append(step.startedAt() == null ? "" : ", began " + step.startedAt())
                        .append(step.finishedAt() == null ? "" : ", ended " + step.finishedAt()).append('\n'));
            }
        } catch (RuntimeException e) {
            out.append("(not readable: ").append(e.getMessage()).append(")\n");
        }
        out.append("--- Paver's Slack calls since the latest turn ---\n");
        List<SlackStandIn.SlackCall> calls = slack.calls();
        for (SlackStandIn.SlackCall c : calls.subList(Math.min(turnCallIndex, calls.size()), calls.size())) {
            out.append(c.at()).append(' ').append(c.method()).append(c.ts() == null ? "" : " " + c.ts()).append('\n');
        }
        List<String> latest;
        synchronized (warnings) {
            latest = new ArrayList<>(warnings.subList(Math.max(0, warnings.size() - 30), warnings.size()));
        }
        out.append("--- Paver's latest warnings (").append(latest.size()).append(") ---\n");
        latest.forEach(w -> out.append(w).append('\n'));
        return out.toString();
    }

    /** Starts Paver and, once its logging is configured (Spring Boot resets it at start), records what it logs. */
    private void startPaver() {
        testbed.startPaver();
        var context = (ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        logCapture = new ch.qos.logback.core.AppenderBase<>() {
            @Override
            protected void append(ch.qos.logback.classic.spi.ILoggingEvent event) {
                logged.add(event.getFormattedMessage() + (event.getThrowableProxy() == null ? ""
                        : "\n" + ch.qos.logback.classic.spi.ThrowableProxyUtil.asString(event.getThrowableProxy())));
                if (event.getLevel().isGreaterOrEqual(ch.qos.logback.classic.Level.WARN)) {
                    warnings.add(java.time.Instant.ofEpochMilli(event.getTimeStamp()) + " " + event.getLevel() + " ["
                            + event.getThreadName() + "] " + event.getFormattedMessage());
                }
            }
        };
        logCapture.setContext(context);
        logCapture.start();
        context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).addAppender(logCapture);
    }

    /**
     * Fails when {@code text} is anywhere Paver wrote: a Slack Web API call or response URL answer (any parameter), a
     * commit message or file of any commit of any repository, a file under the work folder (working clones, the
     * database files), a row of the database ({@code SCRIPT}), a line Paver logged.
     */
    private void neverShown(String text) throws Exception {
        check(!text.isEmpty(), "never_shown needs non-empty strings");
        synchronized (answers) {
            for (String answer : answers) {
                check(answer == null || !answer.contains(text), "Paver answered a request with " + quote(text) + ": " + answer);
            }
        }
        for (SlackStandIn.SlackCall c : slack.calls()) {
            c.params().forEach((name, value) -> check(!value.contains(text), "Slack " + c.method() + " " + name
                    + " contains " + quote(text)));
        }
        for (String stored : git.everything()) {
            check(!stored.contains(text), "git holds a commit message or file containing " + quote(text));
        }
        String needle = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        try (var files = Files.walk(workDir)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("/objects/")).toList()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // a lock file git removed meanwhile
                }
                check(!new String(bytes, StandardCharsets.ISO_8859_1).contains(needle),
                        "file " + workDir.relativize(file) + " contains " + quote(text));
            }
        }
        var jdbc = new org.springframework.jdbc.core.JdbcTemplate(testbed.paver().bean(javax.sql.DataSource.class));
        for (String row : jdbc.queryForList("SCRIPT", String.class)) {
            check(!row.contains(text), "the database holds " + quote(text) + ": " + (row.length() > 300 ? row.substring(0, 300) + "…" : row));
        }
        synchronized (logged) {
            for (String line : logged) {
                check(!line.contains(text), "Paver logged " + quote(text) + ": " + line);
            }
        }
    }

    /**
     * Unseals {@code spec.encryptedData.<key>} of a SealedSecret on the newest branch Paver pushed, with the testbed
     * controller's private key and the label of the SealedSecret's scope, namespace and name, as the controller does.
     */
    @SuppressWarnings("unchecked")
    private void unseals(Map<String, Object> expected) throws Exception {
        String repository = text(expected.get("repository"));
        List<String> branches = git.paverBranches(repository);
        check(!branches.isEmpty(), "Paver pushed no branch to " + repository);
        String file = text(expected.get("file"));
        String yaml = git.files(repository, branches.get(0)).get(file);
        check(yaml != null, repository + " branch " + branches.get(0) + " has no " + file);
        Map<String, Object> doc = new org.yaml.snakeyaml.Yaml().load(yaml);
        Map<String, Object> metadata = (Map<String, Object>) doc.get("metadata");
        Map<String, Object> annotations = (Map<String, Object>) metadata.getOrDefault("annotations", Map.of());
        dev.paver.core.secret.Scope scope = "true".equals(annotations.get(dev.paver.core.secret.Scope.CLUSTER_WIDE_ANNOTATION))
                ? dev.paver.core.secret.Scope.CLUSTER_WIDE
                : "true".equals(annotations.get(dev.paver.core.secret.Scope.NAMESPACE_WIDE_ANNOTATION))
                ? dev.paver.core.secret.Scope.NAMESPACE_WIDE : dev.paver.core.secret.Scope.STRICT;
        Map<String, Object> data = (Map<String, Object>) ((Map<String, Object>) doc.get("spec")).get("encryptedData");
        Object sealed = data == null ? null : data.get(text(expected.get("key")));
        check(sealed != null, file + " has no spec.encryptedData." + expected.get("key") + ":\n" + yaml);
        byte[] plain;
        try {
            KeyPair controller = expected.containsKey("cluster")
                    ? Testbed.sealedSecretsKeyPair(text(expected.get("cluster"))) : Testbed.sealedSecretsKeyPair();
            plain = TestKeys.unseal(controller, String.valueOf(sealed),
                    scope.label(text(metadata.get("namespace")), text(metadata.get("name"))));
        } catch (org.bouncycastle.crypto.InvalidCipherTextException e) {
            throw new AssertionError(file + ": the controller's key does not unseal " + expected.get("key") + " ("
                    + e.getMessage() + ")");
        }
        check(new String(plain, StandardCharsets.UTF_8).equals(text(expected.get("to"))), file + ": "
                + expected.get("key") + " unseals to another value");
    }

    /** Acknowledgement times of the slash commands and submissions, in milliseconds. */
    public List<Long> ackMillis() {
        return List.copyOf(ackMillis);
    }

    /** The runs of the Paver instance now running, newest first. */
    private String newestRunId() {
        return runs().stream().findFirst().map(dev.paver.core.run.Run::id)
                .orElseThrow(() -> new AssertionError("{run} in a typed command, but Paver has no run yet"));
    }

    public List<dev.paver.core.run.Run> runs() {
        return testbed.paver().bean(dev.paver.core.run.RunStore.class).recent(100);
    }

    /** The bare repository of {@code name} under the conversation's local git root. */
    public Path repository(String name) {
        return testbed.git().bare(name);
    }

    @SuppressWarnings("unchecked")
    private void step(Map<String, Object> step) throws Exception {
        if (step.containsKey("types")) {
            String user = text(step.get("user"));
            requester = user;
            // {run}: the id of Paver's newest run, as `runs` and App Home show it
            String typed = text(step.get("types")).replace("{run}", text(step.get("types")).contains("{run}") ? newestRunId() : "");
            transcript.user(user, typed);
            modalsBeforeCommand = slack.calls("views.open").size();
            answeredView = null;
            HttpResponse<String> response = slashCommand(user, typed, text(step.getOrDefault("signature", "valid")));
            int expectedStatus = step.containsKey("status") ? ((Number) step.get("status")).intValue() : 200;
            check(response.statusCode() == expectedStatus, "HTTP status " + response.statusCode() + ", expected "
                    + expectedStatus + " (body: " + response.body() + ")");
            if (expectedStatus == 200) {
                String answer = response.body().isEmpty() ? "" : JSON.readTree(response.body()).path("text").asText("");
                if (!answer.isEmpty()) {
                    transcript.ephemeral(answer);
                }
                for (String expected : strings(step.get("paver_answers"))) {
                    check(answer.contains(expected), "Paver answered " + quote(answer) + ", which lacks " + quote(expected));
                }
            } else {
                transcript.note("Paver refuses the request with HTTP " + response.statusCode());
            }
        } else if (step.containsKey("submits")) {
            String user = text(step.get("user"));
            requester = user;
            Map<String, Object> values = (Map<String, Object>) step.get("submits");
            transcript.user(user, "submits the form " + values);
            Modal submitted = awaitModal();
            HttpResponse<String> response = viewSubmission(user, values);
            check(response.statusCode() == 200, "HTTP status " + response.statusCode() + " for the submission");
            Map<String, String> errors = new LinkedHashMap<>();
            answeredView = null;
            if (!response.body().isBlank()) {
                JsonNode answer = JSON.readTree(response.body());
                answer.path("errors").fields().forEachRemaining(e -> errors.put(e.getKey(), e.getValue().asText()));
                if (answer.path("response_action").asText().equals("update")) {
                    // the modal shows the view of the answer: the next page
                    answeredView = answer.path("view");
                    answeredAt = slack.calls().size();
                    answeredHash = slack.renewHash(submitted.id());
                    transcript.note("the form goes on to \"" + answeredView.path("title").path("text").asText() + "\"");
                }
            }
            Map<String, Object> expected = (Map<String, Object>) step.getOrDefault("modal_errors", Map.of());
            for (Map.Entry<String, Object> e : expected.entrySet()) {
                check(errors.getOrDefault(e.getKey(), "").contains(text(e.getValue())), "the modal shows errors " + errors
                        + "; expected field " + e.getKey() + " to say " + quote(text(e.getValue())));
            }
            if (expected.isEmpty()) {
                check(errors.isEmpty(), "the modal refused the submission: " + errors);
            }
            errors.forEach((field, message) -> transcript.ephemeral("(in the form, under " + field + ") " + message));
        } else if (step.containsKey("modal_opens")) {
            Map<String, Object> expected = (Map<String, Object>) step.get("modal_opens");
            JsonNode view = awaitView();
            List<String> fields = new ArrayList<>();
            Map<String, String> initial = new LinkedHashMap<>();
            for (JsonNode block : view.path("blocks")) {
                if (block.path("type").asText().equals("input")) {
                    fields.add(block.path("block_id").asText());
                    String value = initialValue(block.path("element"));
                    if (value != null) {
                        initial.put(block.path("block_id").asText(), value);
                    }
                }
            }
            transcript.note("Paver opens the form \"" + view.path("title").path("text").asText() + "\" with fields " + fields
                    + (initial.isEmpty() ? "" : ", prefilled " + initial));
            if (expected.containsKey("title")) {
                check(view.path("title").path("text").asText().equals(text(expected.get("title"))), "modal title is "
                        + view.path("title").path("text").asText());
            }
            if (expected.containsKey("fields")) {
                check(fields.equals(strings(expected.get("fields"))), "modal fields are " + fields);
            }
            for (Map.Entry<String, Object> e : ((Map<String, Object>) expected.getOrDefault("prefilled", Map.of())).entrySet()) {
                check(text(e.getValue()).equals(initial.get(e.getKey())), "field " + e.getKey() + " is prefilled with "
                        + initial.get(e.getKey()) + ", expected " + e.getValue());
            }
            for (Map.Entry<String, Object> e : ((Map<String, Object>) expected.getOrDefault("options", Map.of())).entrySet()) {
                List<String> options = new ArrayList<>();
                for (JsonNode block : view.path("blocks")) {
                    if (block.path("block_id").asText().equals(e.getKey())) {
                        block.path("element").path("options").forEach(o -> options.add(o.path("value").asText()));
                    }
                }
                check(options.equals(strings(e.getValue())), "field " + e.getKey() + " offers " + options);
            }
            // an external select: what Paver suggests as the person types, `typed` → the options, in order
            for (Map.Entry<String, Object> e : ((Map<String, Object>) expected.getOrDefault("suggests", Map.of())).entrySet()) {
                Map<String, Object> suggest = (Map<String, Object>) e.getValue();
                List<String> options = new ArrayList<>();
                suggestions(view, e.getKey(), text(suggest.getOrDefault("typed", ""))).forEach(o -> options.add(o.path("value").asText()));
                if (suggest.containsKey("options")) {
                    check(options.equals(strings(suggest.get("options"))), "field " + e.getKey() + " suggests " + options
                            + " for " + quote(text(suggest.getOrDefault("typed", ""))));
                }
                if (suggest.containsKey("count")) {
                    check(options.size() == ((Number) suggest.get("count")).intValue(), "field " + e.getKey() + " suggests "
                            + options.size() + " options for " + quote(text(suggest.getOrDefault("typed", ""))));
                }
            }
        } else if (step.containsKey("chooses")) {
            String user = text(step.get("user"));
            requester = user;
            Map<String, Object> chosen = (Map<String, Object>) step.get("chooses");
            check(chosen.size() == 1, "chooses takes one field, the one whose choice Slack sends at once; got " + chosen.keySet());
            Map<String, Object> typed = (Map<String, Object>) step.getOrDefault("typed", Map.of());
            transcript.user(user, "chooses " + chosen + " in the form" + (typed.isEmpty() ? "" : ", having typed " + typed));
            Modal before = awaitModal();
            int callsBefore = slack.calls().size();
            HttpResponse<String> response = timed(() -> testbed.post(viewBlockAction(user, before, chosen, typed), "valid"));
            check(response.statusCode() == 200, "HTTP status " + response.statusCode() + " for the choice in the modal");
            awaitViewUpdate(before.id(), callsBefore);
        } else if (step.containsKey("clicks")) {
            String user = text(step.get("user"));
            String label = text(step.get("clicks"));
            String in = text(step.get("in"));
            transcript.user(user, "clicks [" + label + "]" + (in.isEmpty() ? "" : " in " + in));
            // stale: the message as first posted, as a Slack client that missed the edit still shows it
            boolean stale = Boolean.TRUE.equals(step.get("stale"));
            HttpResponse<String> response = timed(() -> testbed.post(blockAction(user, label, in, stale), "valid"));
            int expectedStatus = step.containsKey("status") ? ((Number) step.get("status")).intValue() : 200;
            check(response.statusCode() == expectedStatus, "HTTP status " + response.statusCode() + " for the click, expected "
                    + expectedStatus);
        } else if (step.containsKey("merges")) {
            Map<String, Object> merge = (Map<String, Object>) step.get("merges");
            String repository = text(merge.get("repository"));
            String by = text(step.getOrDefault("user", "someone"));
            List<String> branches = merge.containsKey("branch") ? List.of(text(merge.get("branch"))) : awaitBranches(repository);
            try {
                lastMerge = git.merge(repository, branches.get(0), conversation.name(by));
            } catch (IllegalStateException refused) {
                throw new AssertionError(refused.getMessage(), refused);
            }
            lastHead = lastMerge;
            // what the merge brought to main (a catalog entity) is read at once, as the periodic refresh would soon
            testbed.paver().bean(dev.paver.core.goldenpath.CatalogSource.class).refresh();
            transcript.outside(conversation.name(by) + " merges " + branches.get(0) + " into main of " + repository
                    + " (" + lastMerge.substring(0, 7) + ")");
        } else if (step.containsKey("pushes")) {
            Map<String, Object> push = (Map<String, Object>) step.get("pushes");
            String by = text(step.getOrDefault("user", "someone"));
            String repository = text(push.get("repository"));
            String file = text(push.getOrDefault("file", "NOTES.md"));
            String branch = text(push.getOrDefault("branch", "main"));
            if (branch.equals("pull-request")) {
                branch = awaitBranches(repository).get(0);
            }
            Map<String, Object> replace = (Map<String, Object>) push.get("replace");
            Object content = push.get("content");
            boolean newRepository = !git.exists(repository);
            String head = git.commit(repository, branch, file, old -> content != null ? text(content)
                    : replace == null ? "changed by " + conversation.name(by) + "\n"
                    : old.replace(text(replace.get("from")), text(replace.get("to"))), conversation.name(by));
            if (branch.equals("main")) {
                lastHead = head;
                if (file.startsWith("catalog/") || newRepository) {
                    // Paver reads the catalogs and the repository names again every few seconds; here at once, so the
                    // next command finds them
                    testbed.paver().bean(dev.paver.core.goldenpath.CatalogSource.class).refresh();
                }
            }
            transcript.outside(conversation.name(by) + " pushes a change to " + file + " on " + branch + " of " + repository
                    + " (" + head.substring(0, 7) + ")");
        } else if (step.containsKey("at_once")) {
            // several clicks sent at the same moment, each from its own thread
            List<Map<String, Object>> clicks = (List<Map<String, Object>>) step.get("at_once");
            List<String> bodies = new ArrayList<>();
            for (Map<String, Object> click : clicks) {
                String user = text(click.get("user"));
                transcript.user(user, "clicks [" + click.get("clicks") + "] at the same moment");
                // each click its own response URL and trigger, as Slack gives a double click of one person
                bodies.add(blockAction(user, text(click.get("clicks")), text(click.get("in")), false, "-" + bodies.size()));
            }
            java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<HttpResponse<String>>> sent = new ArrayList<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(bodies.size());
            try {
                for (String body : bodies) {
                    sent.add(pool.submit(() -> {
                        start.await(waitSeconds, java.util.concurrent.TimeUnit.SECONDS);
                        return testbed.post(body, "valid");
                    }));
                }
                start.countDown();
                for (var f : sent) {
                    HttpResponse<String> response = f.get(waitSeconds, java.util.concurrent.TimeUnit.SECONDS);
                    check(response.statusCode() == 200, "HTTP status " + response.statusCode() + " for a click");
                }
            } finally {
                pool.shutdownNow();
            }
        } else if (step.containsKey("time_passes")) {
            Duration d = Duration.parse("PT" + text(step.get("time_passes")).toUpperCase(java.util.Locale.ROOT));
            testbed.clock().advance(d);
            transcript.outside(text(step.get("time_passes")) + " pass (on Paver's clock)");
        } else if (step.containsKey("opens_home")) {
            String user = text(step.get("opens_home"));
            transcript.user(user, "opens Paver's Home tab");
            ObjectNode event = (ObjectNode) JSON.readTree(Path.of("..", "shared", "fixtures", "slack",
                    "java-sdk-AppHomeOpenedPayload.json").toFile());
            event.put("type", "event_callback").put("team_id", "T0PAVERDEMO").put("api_app_id", "A0PAVER")
                    .put("event_id", "Ev" + stepNumber).put("event_time", System.currentTimeMillis() / 1000);
            ((ObjectNode) event.path("event")).put("user", user).put("tab", "home").put("channel", "D0" + user)
                    .put("event_ts", System.currentTimeMillis() / 1000 + ".000100").remove("view");
            HttpResponse<String> response = testbed.postEvent(JSON.writeValueAsString(event));
            check(response.statusCode() == 200, "HTTP status " + response.statusCode() + " for app_home_opened");
        } else if (step.containsKey("argocd")) {
            check(cluster != null, "this conversation has no cluster (cluster: false)");
            Map<String, Object> app = (Map<String, Object>) step.get("argocd");
            String revision = text(app.getOrDefault("revision", "merged"));
            if (revision.equals("merged")) {
                revision = lastMerge;
            } else if (revision.equals("head")) {
                revision = lastHead;
            } else if (revision.equals("main")) {
                revision = git.head(text(app.getOrDefault("repository", "payments-gitops")), "main");
            }
            String name = text(app.get("application"));
            String phase = app.containsKey("phase") ? text(app.get("phase")) : null;
            cluster.setStatus(name, text(app.getOrDefault("sync", "OutOfSync")), text(app.getOrDefault("health", "Progressing")),
                    phase, revision, app.containsKey("message") ? text(app.get("message")) : null);
            transcript.outside("Argo CD: " + name + " sync " + app.getOrDefault("sync", "OutOfSync") + ", health "
                    + app.getOrDefault("health", "Progressing") + (phase == null ? "" : ", operation " + phase)
                    + (app.containsKey("message") ? " (" + app.get("message") + ")" : ""));
        } else if (step.containsKey("forbids")) {
            check("patch applications".equals(text(step.get("forbids"))), "forbids: is patch applications, not " + step.get("forbids"));
            check(cluster != null, "this conversation has no cluster (cluster: false)");
            cluster.forbidPatches();
            transcript.outside("the API server forbids Paver's ServiceAccount to patch Argo CD Applications (RBAC)");
        } else if (step.containsKey("crossplane")) {
            Map<String, Object> claim = new LinkedHashMap<>((Map<String, Object>) step.get("crossplane"));
            Object environment = claim.remove("cluster");
            ClusterStandIn in = cluster(environment);
            try {
                transcript.outside("Crossplane: " + in.crossplane(claim) + (environment == null ? "" : " (in " + environment
                        + "'s cluster)"));
            } catch (IllegalArgumentException e) {
                throw new AssertionError(e.getMessage(), e);
            }
        } else if (step.containsKey("passes")) {
            Duration d = Duration.parse("PT" + text(step.get("passes")).toUpperCase(java.util.Locale.ROOT));
            check(d.compareTo(Duration.ofSeconds(10)) <= 0, "passes is at most 10s in a conversation");
            transcript.outside(text(step.get("passes")) + " pass");
            Thread.sleep(d.toMillis());
        } else if (step.containsKey("reruns")) {
            check(github != null, "reruns needs git: github (plain git has no checks)");
            Map<String, Object> rerun = (Map<String, Object>) step.get("reruns");
            String by = text(step.getOrDefault("user", "someone"));
            String repository = text(rerun.get("repository"));
            String name = text(rerun.get("check"));
            String conclusion = text(rerun.getOrDefault("conclusion", "success"));
            check(List.of("success", "failure").contains(conclusion), "conclusion is success (the default) or failure, not " + conclusion);
            String branch = awaitBranches(repository).get(0);
            String head = git.head(repository, branch);
            try {
                github.rerun(repository, head, name, conclusion.equals("success"));
            } catch (IllegalArgumentException e) {
                throw new AssertionError(e.getMessage(), e);
            }
            transcript.outside(conversation.name(by) + " re-runs the check " + name + " on " + branch + " of " + repository
                    + " (" + head.substring(0, 7) + "): " + conclusion);
        } else if (step.containsKey("platform_creates_repository")) {
            String repository = text(step.get("platform_creates_repository"));
            git.createEmpty(repository);
            transcript.outside("the platform team creates the empty repository " + repository + " on the git host");
        } else if (step.containsKey("restart") && "api-server".equals(text(step.get("restart")))) {
            check(testbed.cluster() != null, "restart: api-server needs a cluster (cluster: true)");
            transcript.outside("Argo CD's API server restarts: watches drop, and the next one finds its resource version expired");
            testbed.cluster().restartApiServer();
        } else if (step.containsKey("restart")) {
            check("paver".equals(text(step.get("restart"))), "restart: is paver or api-server, not " + step.get("restart"));
            transcript.outside("Paver restarts");
            testbed.stopPaver();
            startPaver();
        } else if (step.containsKey("expect")) {
            expect((Map<String, Object>) step.get("expect"));
        } else {
            throw new AssertionError("unknown step kind " + step.keySet() + " (see conversations/README.md)");
        }
    }

    /**
     * Checks an {@code expect:} step. The positive keys (something was said, pushed, holds) are polled until they all
     * hold, for at most {@value #WAIT_SECONDS} s. When the step has a negative or exact key (nothing posted or pushed,
     * a count, an absent file or text, a private answer to nobody else: {@link #needsSettling}), Paver must then
     * {@linkplain #awaitSettled settle}, and every key is checked once more on the settled state: a negative key never
     * holds merely because Paver has not acted yet.
     */
    private void expect(Map<String, Object> expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        AssertionError last = null;
        while (true) {
            try {
                expectNow(expected, false);
                break;
            } catch (AssertionError e) {
                last = e;
                if (System.nanoTime() >= deadline) {
                    throw last;
                }
                Thread.sleep(100);
            }
        }
        if (needsSettling(expected)) {
            awaitSettled();
            try {
                expectNow(expected, true);
            } catch (AssertionError e) {
                throw new AssertionError("once Paver had settled: " + e.getMessage(), e);
            }
        }
    }

    /** True when {@code expected} has a key that a later action of Paver's could still make false. */
    static boolean needsSettling(Map<String, Object> expected) {
        for (String key : List.of("no_card", "no_branches_in", "no_repository", "no_messages_in", "thread_excludes",
                "never_shown", "paver_branches", "replies_unique", "replies_in_card_thread", "told_privately", "told")) {
            if (expected.containsKey(key)) {
                return true;
            }
        }
        for (String key : List.of("pull_request", "main")) {
            Object files = expected.get(key);
            if (files instanceof Map<?, ?> map && (map.containsKey("lacks") || map.containsKey("file_excludes"))) {
                return true;
            }
        }
        return expected.get("card") instanceof Map<?, ?> card && card.containsKey("cards")
                || expected.get("role_bindings") instanceof Map<?, ?> rb && rb.containsKey("count");
    }

    /**
     * Waits until the request has settled: no run of Paver's is {@code RUNNING} or {@code WAITING} with its timer due
     * on Paver's clock, and for {@link #QUIET} nothing happened: no user turn or outside event ended, no Slack Web API
     * call or response URL answer arrived, no git ref of any repository changed. At most {@value #WAIT_SECONDS} s.
     */
    private void awaitSettled() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (true) {
            long now = System.nanoTime();
            String refs = git.refs();
            if (!refs.equals(gitRefs)) {
                gitRefs = refs;
                gitChangedNanos = now;
            }
            long lastActivity = Math.max(lastTurnNanos, Math.max(slack.lastCallNanos(), gitChangedNanos));
            java.time.Instant paverNow = testbed.clock().instant();
            List<String> busy = runs().stream().filter(r -> r.state() == dev.paver.core.run.RunState.RUNNING
                    || r.state() == dev.paver.core.run.RunState.WAITING && r.wakeAt() != null && !r.wakeAt().isAfter(paverNow))
                    .map(r -> r.id() + " " + r.state()).toList();
            if (busy.isEmpty() && now - lastActivity >= QUIET.toNanos()) {
                return;
            }
            if (now >= deadline) {
                throw new AssertionError("Paver did not settle within " + waitSeconds + " s: " + (busy.isEmpty() ? ""
                        : "runs still busy " + busy + "; ") + "last Slack call " + (now - slack.lastCallNanos()) / 1_000_000
                        + " ms ago, last git change " + (now - gitChangedNanos) / 1_000_000 + " ms ago");
            }
            Thread.sleep(100);
        }
    }

    /**
     * Checks every key of {@code expected} on the state as it is now; the negative and exact ones only when
     * {@code settled}.
     */
    @SuppressWarnings("unchecked")
    private void expectNow(Map<String, Object> expected, boolean settled) throws Exception {
        List<SlackStandIn.SlackCall> cards = transcript.cardPosts();
        if (settled && Boolean.TRUE.equals(expected.get("no_card"))) {
            check(cards.isEmpty(), cards.isEmpty() ? "" : "Paver posted a card: " + cards.get(0).param("text"));
        }
        if (expected.containsKey("card")) {
            check(!cards.isEmpty(), "Paver posted no status card");
            Map<String, Object> card = (Map<String, Object>) expected.get("card");
            String latest = transcript.latestCard(cards.get(cards.size() - 1).ts());
            for (String s : strings(card.get("contains"))) {
                check(latest.contains(s), "the card says:\n" + latest + "\nwhich lacks " + quote(s));
            }
            if (settled && card.containsKey("cards")) {
                check(cards.size() == ((Number) card.get("cards")).intValue(), "Paver posted " + cards.size() + " cards");
            }
        }
        List<String> replies = transcript.latestThread();
        if (expected.containsKey("thread")) {
            int from = 0;
            for (String s : strings(expected.get("thread"))) {
                int found = -1;
                for (int i = from; i < replies.size(); i++) {
                    if (replies.get(i).contains(s)) {
                        found = i;
                        break;
                    }
                }
                check(found >= 0, "the thread has no reply containing " + quote(s) + " from reply " + from + " on; replies: " + replies);
                from = found;
            }
        }
        for (String s : settled ? strings(expected.get("thread_excludes")) : List.<String>of()) {
            for (String reply : replies) {
                check(!reply.contains(s), "the thread has a reply containing " + quote(s) + ": " + reply);
            }
        }
        if (settled && Boolean.TRUE.equals(expected.get("replies_unique"))) {
            List<String> all = transcript.replies();
            check(new HashSet<>(all).size() == all.size(), "a reply was posted twice: " + all);
        }
        if (settled && expected.containsKey("replies_in_card_thread")) {
            for (SlackStandIn.SlackCall c : slack.calls("chat.postMessage")) {
                if (!c.param("thread_ts").isEmpty()) {
                    check(cards.stream().anyMatch(card -> card.ts().equals(c.param("thread_ts"))),
                            "a reply is in thread " + c.param("thread_ts") + ", which is no card of Paver's");
                }
            }
        }
        List<PrivateAnswer> answered = privateAnswers();
        List<String> direct = answered.stream().filter(a -> a.how().equals("direct message")).map(PrivateAnswer::text).toList();
        for (String s : strings(expected.get("direct_messages"))) {
            check(direct.stream().anyMatch(t -> t.contains(s)), "Paver's direct messages " + direct + " have nothing containing "
                    + quote(s));
        }
        // who may be told each substring privately: the people it is expected for, and no one else
        Map<String, Set<String>> recipients = new LinkedHashMap<>();
        if (expected.containsKey("told_privately")) {
            check(requester != null, "told_privately needs a requester: a types or submits step before it");
            List<String> toRequester = answered.stream().filter(a -> a.to().equals(requester) && !a.how().equals("direct message"))
                    .map(PrivateAnswer::text).toList();
            for (String s : strings(expected.get("told_privately"))) {
                check(toRequester.stream().anyMatch(t -> t.contains(s)), "Paver told the requester " + conversation.name(requester)
                        + " privately (response URL or ephemeral message) " + toRequester + ", nothing containing " + quote(s));
                recipients.computeIfAbsent(s, k -> new java.util.TreeSet<>()).add(requester);
            }
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) expected.getOrDefault("told", Map.of())).entrySet()) {
            String user = e.getKey();
            List<String> said = answered.stream().filter(a -> a.to().equals(user)).map(PrivateAnswer::text).toList();
            for (String s : strings(e.getValue())) {
                check(said.stream().anyMatch(t -> t.contains(s)), "Paver told " + conversation.name(user) + " privately " + said
                        + ", nothing containing " + quote(s));
                recipients.computeIfAbsent(s, k -> new java.util.TreeSet<>()).add(user);
            }
        }
        if (settled) {
            // since the latest turn, a private answer with an expected text went only to the people it is expected for
            for (PrivateAnswer a : answered) {
                recipients.forEach((s, people) -> check(a.index() < turnCallIndex || !a.text().contains(s)
                        || people.contains(a.to()), "Paver told " + conversation.name(a.to()) + " privately (" + a.how()
                        + ") " + quote(a.text()) + ", meant for " + people.stream().map(conversation::name).toList() + " only"));
            }
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) expected.getOrDefault("home", Map.of())).entrySet()) {
            List<SlackStandIn.SlackCall> published = slack.calls("views.publish").stream()
                    .filter(c -> c.param("user_id").equals(e.getKey())).toList();
            check(!published.isEmpty(), "Paver published no Home tab for " + conversation.name(e.getKey()));
            String home = published.get(published.size() - 1).param("view");
            for (String s : strings(e.getValue())) {
                check(home.contains(s), "the Home tab of " + conversation.name(e.getKey()) + " lacks " + quote(s) + ": " + home);
            }
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) expected.getOrDefault("messages_in", Map.of())).entrySet()) {
            List<String> texts = transcript.latestMessages(e.getKey());
            for (String s : strings(e.getValue())) {
                check(texts.stream().anyMatch(t -> t.contains(s)), "no message of Paver's in " + e.getKey() + " contains "
                        + quote(s) + " as it reads now: " + texts);
            }
        }
        for (String channel : settled ? strings(expected.get("no_messages_in")) : List.<String>of()) {
            List<String> texts = transcript.latestMessages(channel);
            check(texts.isEmpty(), "Paver posted in " + channel + ": " + texts);
        }
        if (expected.containsKey("role_bindings")) {
            Map<String, Object> rb = (Map<String, Object>) expected.get("role_bindings");
            var bindings = cluster(rb.get("cluster")).client().rbac().roleBindings().inNamespace(text(rb.get("namespace"))).list().getItems();
            if (settled && rb.containsKey("count")) {
                check(bindings.size() == ((Number) rb.get("count")).intValue(), "namespace " + rb.get("namespace")
                        + (rb.containsKey("cluster") ? " in the cluster of " + rb.get("cluster") : "") + " has "
                        + bindings.size() + " RoleBindings: " + bindings.stream().map(b -> b.getMetadata().getName()).toList());
            }
            String all = io.fabric8.kubernetes.client.utils.Serialization.asYaml(bindings);
            for (String s : strings(rb.get("contain"))) {
                check(all.contains(s), "the RoleBindings of " + rb.get("namespace") + " lack " + quote(s) + ":\n" + all);
            }
        }
        if (expected.containsKey("application")) {
            check(cluster != null, "this conversation has no cluster");
            Map<String, Object> app = (Map<String, Object>) expected.get("application");
            var resource = cluster.client().genericKubernetesResources(dev.paver.kubernetes.ArgoCdApplications.APPLICATIONS)
                    .inNamespace("argocd").withName(text(app.get("name"))).get();
            check(resource != null, "Argo CD has no Application " + app.get("name"));
            String yaml = io.fabric8.kubernetes.client.utils.Serialization.asYaml(resource.getAdditionalProperties().get("operation"));
            String annotations = io.fabric8.kubernetes.client.utils.Serialization.asYaml(resource.getMetadata().getAnnotations());
            for (String s : strings(app.get("annotations_contain"))) {
                check(annotations.contains(s), "the annotations of " + app.get("name") + " lack " + quote(s) + ":\n" + annotations);
            }
            for (String s : strings(app.get("operation_contains"))) {
                String wanted = s.equals("main") ? git.head("payments-gitops", "main") : s;
                check(yaml.contains(wanted), "the operation of " + app.get("name") + " lacks " + quote(wanted) + ":\n" + yaml);
            }
        }
        for (Map.Entry<String, Object> e : settled ? ((Map<String, Object>) expected.getOrDefault("paver_branches", Map.of())).entrySet()
                : Set.<Map.Entry<String, Object>>of()) {
            List<String> branches = git.paverBranches(e.getKey());
            check(branches.size() == ((Number) e.getValue()).intValue(), e.getKey() + " has " + branches.size()
                    + " branches of Paver's, expected " + e.getValue() + ": " + branches);
        }
        for (String repository : settled ? strings(expected.get("no_branches_in")) : List.<String>of()) {
            check(git.paverBranches(repository).isEmpty(), repository + " has branches " + git.paverBranches(repository));
        }
        for (String repository : settled ? strings(expected.get("no_repository")) : List.<String>of()) {
            check(!git.exists(repository), "repository " + repository + " exists");
        }
        for (String s : settled ? strings(expected.get("never_shown")) : List.<String>of()) {
            neverShown(s);
        }
        if (expected.containsKey("unseals")) {
            unseals((Map<String, Object>) expected.get("unseals"));
        }
        if (expected.containsKey("pull_request")) {
            Map<String, Object> pr = (Map<String, Object>) expected.get("pull_request");
            String repository = text(pr.get("repository"));
            List<String> branches = git.paverBranches(repository);
            check(!branches.isEmpty(), "Paver pushed no branch to " + repository);
            checkFiles(repository + " branch " + branches.get(0), git.files(repository, branches.get(0)), pr, settled);
        }
        if (expected.containsKey("main")) {
            Map<String, Object> main = (Map<String, Object>) expected.get("main");
            String repository = text(main.get("repository"));
            check(git.exists(repository), "repository " + repository + " does not exist");
            checkFiles("main of " + repository, git.files(repository, "main"), main, settled);
        }
    }

    /**
     * {@code files}, {@code lacks}, {@code file_contains} and {@code file_excludes} of an expectation, on one branch's
     * files; {@code lacks} and {@code file_excludes} only when {@code settled}.
     */
    @SuppressWarnings("unchecked")
    private static void checkFiles(String where, Map<String, String> files, Map<String, Object> expected, boolean settled) {
        for (String path : strings(expected.get("files"))) {
            check(files.containsKey(path), where + " lacks " + path + "; it has " + files.keySet());
        }
        for (String path : settled ? strings(expected.get("lacks")) : List.<String>of()) {
            check(!files.containsKey(path), where + " has " + path);
        }
        for (Map.Entry<String, Object> e : ((Map<String, Object>) expected.getOrDefault("file_contains", Map.of())).entrySet()) {
            String content = files.getOrDefault(e.getKey(), "");
            for (String s : strings(e.getValue())) {
                check(content.contains(s), where + ": " + e.getKey() + " lacks " + quote(s) + ":\n" + content);
            }
        }
        for (Map.Entry<String, Object> e : settled ? ((Map<String, Object>) expected.getOrDefault("file_excludes", Map.of())).entrySet()
                : Set.<Map.Entry<String, Object>>of()) {
            check(files.containsKey(e.getKey()), where + " lacks " + e.getKey());
            for (String s : strings(e.getValue())) {
                check(!files.get(e.getKey()).contains(s), where + ": " + e.getKey() + " contains " + quote(s) + ":\n" + files.get(e.getKey()));
            }
        }
    }

    /**
     * One thing Paver said privately.
     *
     * @param to    the Slack user id it went to
     * @param how   {@code response URL}, {@code ephemeral in <channel>} or {@code direct message}
     * @param text  what it said
     * @param index its position among the Slack calls
     */
    private record PrivateAnswer(String to, String how, String text, int index) {
    }

    /**
     * What Paver said privately, in order: answers to a response URL (each request's URL names its sender:
     * {@code <kind>-<step>-<user id>}, see {@link #responseUrlOwner}), {@code chat.postEphemeral} (to its {@code user})
     * and direct messages ({@code chat.postMessage} to a user id). Calls Slack refused are not answers.
     */
    private List<PrivateAnswer> privateAnswers() throws Exception {
        List<PrivateAnswer> said = new ArrayList<>();
        List<SlackStandIn.SlackCall> calls = slack.calls();
        for (int i = 0; i < calls.size(); i++) {
            SlackStandIn.SlackCall c = calls.get(i);
            if (c.method().equals("response_url")) {
                said.add(new PrivateAnswer(responseUrlOwner(c.param("to")), "response URL", Transcript.responseText(c.param("body")), i));
            } else if (c.method().equals("chat.postEphemeral")) {
                check(!c.param("user").isEmpty(), "Paver posted an ephemeral message to nobody: " + c.params());
                said.add(new PrivateAnswer(c.param("user"), "ephemeral in " + c.param("channel"), c.param("text"), i));
            } else if (c.method().equals("chat.postMessage") && isUser(c.param("channel"))) {
                said.add(new PrivateAnswer(c.param("channel"), "direct message", c.param("text"), i));
            }
        }
        return said;
    }

    /** True for a Slack user id as a channel (a direct message): one of the people, or a U/W id. */
    private boolean isUser(String channel) {
        return conversation.people().containsKey(channel) || channel.matches("[UW][A-Z0-9]{2,}");
    }

    /** The user whose request a response URL belongs to: the runner names each {@code <kind>-<step>-<user id>}. */
    private static String responseUrlOwner(String id) {
        return id.substring(id.lastIndexOf('-') + 1);
    }

    private HttpResponse<String> slashCommand(String user, String typed, String signature) throws Exception {
        return timed(() -> testbed.slashCommand(conversation.channel(), user,
                conversation.name(user).split(" ")[0].toLowerCase(java.util.Locale.ROOT), typed, "trigger-" + stepNumber + "-" + user,
                signature));
    }

    private HttpResponse<String> viewSubmission(String user, Map<String, Object> values) throws Exception {
        Modal modal = awaitModal();
        JsonNode opened = modal.view();
        ObjectNode payload = (ObjectNode) Testbed.fixture("vercel-chat-modals-slack.json").path("viewSubmission").deepCopy();
        ((ObjectNode) payload.path("user")).put("id", user).put("username", conversation.name(user)).put("name", conversation.name(user));
        ObjectNode view = (ObjectNode) payload.path("view");
        fill(view, modal);
        view.set("state", JSON.createObjectNode().set("values", state(opened, values)));
        String body = "payload=" + URLEncoder.encode(JSON.writeValueAsString(payload), StandardCharsets.UTF_8);
        return timed(() -> testbed.post(body, "valid"));
    }

    /** Puts the modal's id, hash, callback id, private metadata, blocks and title into a recorded payload's view. */
    private static void fill(ObjectNode view, Modal modal) {
        JsonNode opened = modal.view();
        view.put("id", modal.id()).put("root_view_id", modal.id()).put("hash", modal.hash());
        view.put("callback_id", opened.path("callback_id").asText());
        view.put("private_metadata", opened.path("private_metadata").asText());
        view.set("blocks", opened.path("blocks").deepCopy());
        view.set("title", opened.path("title").deepCopy());
    }

    /**
     * The {@code view.state.values} Slack sends with the modal {@code opened}: each input's {@code values} entry, else
     * its initial value, in the element's shape ({@link #elementState}). A field the modal lacks fails.
     */
    private ObjectNode state(JsonNode opened, Map<String, Object> values) throws Exception {
        Set<String> inputs = new HashSet<>();
        ObjectNode state = JSON.createObjectNode();
        for (JsonNode block : opened.path("blocks")) {
            if (!block.path("type").asText().equals("input")) {
                continue;
            }
            String id = block.path("block_id").asText();
            inputs.add(id);
            JsonNode element = block.path("element");
            List<String> chosen = values.containsKey(id) ? submitted(values.get(id)) : initialValues(element);
            if (element.path("type").asText().endsWith("external_select")) {
                // what Paver suggests as each chosen value is typed: a value it does not suggest cannot be chosen
                ObjectNode withOptions = element.deepCopy();
                var options = withOptions.putArray("options");
                for (String value : chosen.size() == 1 ? List.of(chosen.get(0).split(",")) : chosen) {
                    suggestions(opened, id, value.strip()).forEach(options::add);
                }
                element = withOptions;
            }
            state.set(id, JSON.createObjectNode().set(element.path("action_id").asText(), elementState(id, element, chosen)));
        }
        for (String field : values.keySet()) {
            check(inputs.contains(field), "the modal has no field " + quote(field) + "; its fields are " + inputs);
        }
        return state;
    }

    /**
     * The {@code block_actions} payload Slack sends when {@code user} chooses a value in an input of the open modal
     * whose block has {@code dispatch_action: true} (Slack's "block_actions payload" reference: {@code container} of type
     * {@code view}, the {@code view} with its id, hash and {@code state}, one action with the element's selection and no
     * {@code response_url}). A field without {@code dispatch_action} fails: Slack would send nothing until submission.
     *
     * @param chosen the field and its value
     * @param typed  what the person entered in other fields before, kept in the view's state
     */
    private String viewBlockAction(String user, Modal modal, Map<String, Object> chosen, Map<String, Object> typed)
            throws Exception {
        String field = chosen.keySet().iterator().next();
        JsonNode block = null;
        for (JsonNode b : modal.view().path("blocks")) {
            if (b.path("type").asText().equals("input") && b.path("block_id").asText().equals(field)) {
                block = b;
            }
        }
        check(block != null, "the modal has no field " + quote(field));
        check(block.path("dispatch_action").asBoolean(false), "field " + field + " has no dispatch_action: Slack tells Paver"
                + " of a choice there only when the form is submitted");
        Map<String, Object> values = new LinkedHashMap<>(typed);
        values.putAll(chosen);
        ObjectNode state = state(modal.view(), values);
        ObjectNode payload = (ObjectNode) Testbed.fixture("vercel-chat-actions-reactions-slack.json").path("action").deepCopy();
        ((ObjectNode) payload.path("user")).put("id", user).put("username", conversation.name(user)).put("name", conversation.name(user));
        payload.set("container", JSON.createObjectNode().put("type", "view").put("view_id", modal.id()));
        payload.remove(List.of("channel", "message", "response_url"));
        payload.put("trigger_id", "trigger-" + stepNumber + "-" + user);
        ObjectNode view = (ObjectNode) Testbed.fixture("vercel-chat-modals-slack.json").path("viewSubmission").path("view").deepCopy();
        fill(view, modal);
        view.set("state", JSON.createObjectNode().set("values", state));
        payload.set("view", view);
        JsonNode element = block.path("element");
        ObjectNode action = ((ObjectNode) state.path(field).path(element.path("action_id").asText())).deepCopy();
        action.put("action_id", element.path("action_id").asText()).put("block_id", field)
                .put("action_ts", System.currentTimeMillis() / 1000 + ".000100");
        payload.putArray("actions").add(action);
        return "payload=" + URLEncoder.encode(JSON.writeValueAsString(payload), StandardCharsets.UTF_8);
    }

    /** Waits for Paver's {@code views.update} of view {@code id} after Slack call {@code after}; fails on Slack's refusal. */
    private void awaitViewUpdate(String id, int after) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (System.nanoTime() < deadline) {
            List<SlackStandIn.SlackCall> calls = slack.calls();
            for (int i = after; i < calls.size(); i++) {
                SlackStandIn.SlackCall c = calls.get(i);
                if (c.method().equals("views.update") && c.param("view_id").equals(id)) {
                    check(Boolean.TRUE.equals(c.answer().get("ok")), "Slack refused Paver's views.update: " + c.answer().get("error"));
                    transcript.note("Paver updates the form: fields " + fields(JSON.readTree(c.param("view"))));
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Paver did not update the modal (views.update of " + id + ") within " + waitSeconds
                + " s of the choice");
    }

    /** The block ids of a view's input blocks, in order. */
    private static List<String> fields(JsonNode view) {
        List<String> fields = new ArrayList<>();
        view.path("blocks").forEach(b -> {
            if (b.path("type").asText().equals("input")) {
                fields.add(b.path("block_id").asText());
            }
        });
        return fields;
    }

    /**
     * The options Paver answers for an external select of the modal {@code view} while {@code typed} is typed in field
     * {@code blockId}: a signed {@code block_suggestion} request, as Slack sends it to the options load URL
     * ("Select menu element: external data source", Block Kit reference), and its {@code options}.
     */
    private JsonNode suggestions(JsonNode view, String blockId, String typed) throws Exception {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("type", "block_suggestion");
        payload.putObject("user").put("id", requester).put("username", conversation.name(requester)).put("team_id", "T0PAVER");
        payload.putObject("team").put("id", "T0PAVER").put("domain", "paver");
        payload.putObject("container").put("type", "view").put("view_id", "V0MODAL");
        payload.put("api_app_id", "A0PAVER");
        payload.put("action_id", "value");
        payload.put("block_id", blockId);
        payload.put("value", typed);
        ObjectNode sent = payload.putObject("view");
        sent.put("id", "V0MODAL").put("type", "modal").put("callback_id", view.path("callback_id").asText())
                .put("private_metadata", view.path("private_metadata").asText());
        String body = "payload=" + URLEncoder.encode(JSON.writeValueAsString(payload), StandardCharsets.UTF_8);
        HttpResponse<String> response = testbed.post(body, "valid");
        check(response.statusCode() == 200, "HTTP " + response.statusCode() + " for the options of " + blockId + ": " + response.body());
        return JSON.readTree(response.body()).path("options");
    }

    /**
     * A block_actions payload as Slack sends it for a click on the button {@code label} of the newest message of
     * Paver's that has one (as it reads now), in channel {@code in} when given.
     */
    private String blockAction(String user, String label, String in, boolean stale) throws Exception {
        return blockAction(user, label, in, stale, "");
    }

    /** A click; {@code tag} tells apart the response URL and trigger of clicks of one person in one step. */
    private String blockAction(String user, String label, String in, boolean stale, String tag) throws Exception {
        Optional<String> click = BlockActions.click(stale ? transcript.originalMessages() : transcript.latestMessages(),
                label, in, user, conversation.name(user), slack.responseUrl("click-" + stepNumber + tag + "-" + user),
                "trigger-" + stepNumber + tag + "-" + user);
        check(click.isPresent(), "no message of Paver's " + (in.isEmpty() ? "" : "in " + in + " ") + "has a button " + quote(label));
        return click.get();
    }

    private interface Request {
        HttpResponse<String> send() throws Exception;
    }

    private HttpResponse<String> timed(Request request) throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = request.send();
        ackMillis.add((System.nanoTime() - start) / 1_000_000);
        answers.add(response.body());
        return response;
    }

    /**
     * A modal as it reads now: the view as Paver last sent it ({@code views.open}, then {@code views.update} or a
     * submission's {@code response_action: update}), Slack's id of it, and its current hash.
     */
    private record Modal(JsonNode view, String id, String hash) {
    }

    /** The latest modal Paver opened since the latest slash command (Paver opens it after the acknowledgement). */
    private JsonNode awaitView() throws Exception {
        return awaitModal().view();
    }

    /**
     * The latest modal Paver opened since the latest slash command, as it reads now: after the {@code views.update}
     * calls on it that Slack accepted, and a submission's {@code response_action: update} answer, whichever came last.
     */
    @SuppressWarnings("unchecked")
    private Modal awaitModal() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (System.nanoTime() < deadline) {
            List<SlackStandIn.SlackCall> calls = slack.calls();
            int opens = 0;
            int opened = -1;
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i).method().equals("views.open") && ++opens > modalsBeforeCommand) {
                    opened = i;
                }
            }
            if (opened >= 0) {
                SlackStandIn.SlackCall open = calls.get(opened);
                Map<String, Object> answered = (Map<String, Object>) open.answer().getOrDefault("view", Map.of());
                String id = text(answered.get("id"));
                Modal modal = new Modal(JSON.readTree(open.param("view")), id, text(answered.get("hash")));
                for (int i = opened + 1; i < calls.size(); i++) {
                    SlackStandIn.SlackCall c = calls.get(i);
                    if (answeredView != null && i == answeredAt) {
                        modal = new Modal(answeredView, id, answeredHash);
                    }
                    if (c.method().equals("views.update") && c.param("view_id").equals(id)
                            && Boolean.TRUE.equals(c.answer().get("ok"))) {
                        modal = new Modal(JSON.readTree(c.param("view")), id,
                                text(((Map<String, Object>) c.answer().get("view")).get("hash")));
                    }
                }
                if (answeredView != null && answeredAt >= calls.size()) {
                    modal = new Modal(answeredView, id, answeredHash);
                }
                return modal;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Paver opened no modal (views.open) within " + waitSeconds + " s of the latest command");
    }

    private List<String> awaitBranches(String repository) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> branches = git.paverBranches(repository);
            if (!branches.isEmpty()) {
                return branches;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("Paver pushed no branch to " + repository + " within " + waitSeconds + " s");
    }

    /** The initial value of an input element as one string (several joined with ","), or null when it has none. */
    private static String initialValue(JsonNode element) {
        List<String> values = initialValues(element);
        return values.isEmpty() && !element.has("initial_value") ? null : String.join(",", values);
    }

    /**
     * The initial values of an input element, by the {@code initial_*} field of its type (Block Kit reference:
     * plain text input, selects, multi-selects, checkboxes, radio buttons, pickers).
     */
    private static List<String> initialValues(JsonNode element) {
        List<String> out = new ArrayList<>();
        if (element.hasNonNull("initial_value")) {
            out.add(element.path("initial_value").asText());
        }
        if (element.hasNonNull("initial_option")) {
            out.add(element.path("initial_option").path("value").asText());
        }
        element.path("initial_options").forEach(o -> out.add(o.path("value").asText()));
        for (String single : List.of("initial_user", "initial_conversation", "initial_channel", "initial_date", "initial_time")) {
            if (element.hasNonNull(single)) {
                out.add(element.path(single).asText());
            }
        }
        for (String several : List.of("initial_users", "initial_conversations", "initial_channels")) {
            element.path(several).forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    /** A submitted value of {@code submits}: a list, or one value (a multi-select's values may be joined with ","). */
    private static List<String> submitted(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().map(ConversationRunner::text).toList();
        }
        String s = text(value);
        return s.isEmpty() ? List.of() : List.of(s);
    }

    /**
     * The state of one input element in a view submission, in the shape Slack sends for the element's type (the
     * {@code view.state.values} of a {@code view_submission} payload; shapes as in the recorded payloads of the Slack
     * fixtures and Slack's Block Kit reference): {@code value} for text inputs (null when empty), {@code selected_option}
     * for a static select or radio buttons, {@code selected_options} (each option as the modal offered it, with its
     * {@code text}) for checkboxes and multi static selects, {@code selected_user(s)}, {@code selected_conversation(s)},
     * {@code selected_channel(s)}, {@code selected_date}, {@code selected_time}. A chosen value that the element does
     * not offer fails: a person could not choose it.
     */
    private static ObjectNode elementState(String field, JsonNode element, List<String> chosen) {
        String type = element.path("type").asText();
        ObjectNode v = JSON.createObjectNode();
        v.put("type", type);
        switch (type) {
            case "plain_text_input", "email_text_input", "url_text_input", "number_input" -> {
                check(chosen.size() <= 1, "field " + field + " is a " + type + "; it takes one value, not " + chosen);
                if (chosen.isEmpty() || chosen.get(0).isEmpty()) {
                    v.putNull("value");
                } else {
                    v.put("value", chosen.get(0));
                }
            }
            case "static_select", "external_select", "radio_buttons" -> {
                check(chosen.size() <= 1, "field " + field + " is a " + type + "; it takes one option, not " + chosen);
                if (chosen.isEmpty() || chosen.get(0).isEmpty()) {
                    v.putNull("selected_option");
                } else {
                    v.set("selected_option", offered(field, element, chosen.get(0)));
                }
            }
            case "multi_static_select", "multi_external_select", "checkboxes" -> {
                var options = v.putArray("selected_options");
                for (String value : chosen.size() == 1 && type.startsWith("multi_")
                        ? List.of(chosen.get(0).split(",")) : chosen) {
                    options.add(offered(field, element, value.strip()));
                }
            }
            case "users_select", "conversations_select", "channels_select" -> {
                // users_select: selected_user; conversations_select: selected_conversation; channels_select: selected_channel
                String key = "selected_" + type.substring(0, type.indexOf("s_select"));
                check(chosen.size() <= 1, "field " + field + " is a " + type + "; it takes one value, not " + chosen);
                if (chosen.isEmpty() || chosen.get(0).isEmpty()) {
                    v.putNull(key);
                } else {
                    v.put(key, chosen.get(0));
                }
            }
            case "multi_users_select", "multi_conversations_select", "multi_channels_select" -> {
                var selected = v.putArray("selected_" + type.substring("multi_".length(), type.indexOf("_select")));
                chosen.forEach(selected::add);
            }
            case "datepicker" -> v.put("selected_date", chosen.isEmpty() ? null : chosen.get(0));
            case "timepicker" -> v.put("selected_time", chosen.isEmpty() ? null : chosen.get(0));
            default -> throw new AssertionError("field " + field + " is a " + type + ", which the runner cannot submit yet");
        }
        return v;
    }

    /** The option of {@code element} whose value is {@code value}, as the modal offered it (text and value). */
    private static JsonNode offered(String field, JsonNode element, String value) {
        List<String> values = new ArrayList<>();
        for (JsonNode option : element.path("options")) {
            if (option.path("value").asText().equals(value)) {
                ObjectNode chosen = JSON.createObjectNode();
                chosen.set("text", option.path("text").deepCopy());
                chosen.put("value", value);
                return chosen;
            }
            values.add(option.path("value").asText());
        }
        throw new AssertionError("field " + field + " offers " + values + "; " + quote(value) + " is not one of them");
    }

    private static List<String> strings(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(ConversationRunner::text).toList();
        }
        return List.of(text(value));
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private static String quote(String s) {
        return "\"" + s + "\"";
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }

    @Override
    public void close() {
        if (logCapture != null) {
            ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory())
                    .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).detachAppender(logCapture);
        }
        testbed.close();
    }
}
