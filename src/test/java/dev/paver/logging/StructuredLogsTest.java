package dev.paver.logging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paver.conversation.Conversation;
import dev.paver.conversation.ConversationRunner;
import dev.paver.core.run.Run;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Paver with {@code logging.structured.format.console: ecs} (as {@code deploy/kubernetes/base} sets it), replaying the
 * conversation where Dana creates a service and then a secret whose plain value she pastes in the modal: every line
 * Paver writes to the console is one JSON object in Elastic Common Schema; every line about a run carries the run's
 * id, golden path and requester as fields, and a line of a request's intake its Slack user; and no secret value (the bot token, the signing secret, the GitHub webhook
 * secret, the pasted plain value) is in any line.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredLogsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The conversation replayed: a create-service, then a create-secret with a plain value sealed by Paver. */
    private static final Path CONVERSATION = Path.of("conversations", "create-secret", "pasted-value-sealed.yaml");
    private static final String PASTED_VALUE = "sk_live_51HxDanaPastedThis";
    private static final String WEBHOOK_SECRET = "whsec-structured-logs-test-0001";
    /** The testbed's Slack secrets ({@code Testbed}). */
    private static final List<String> SECRETS = List.of("xoxb-testbed-stand-in", "testbed-signing-secret", WEBHOOK_SECRET,
            PASTED_VALUE);
    /** The start of a line of Spring Boot's plain-text console format: what must not appear with JSON on. */
    private static final Pattern PLAIN_LOG_LINE = Pattern.compile(
            "^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*\\b(TRACE|DEBUG|INFO|WARN|ERROR)\\b.*\\s---\\s");

    @TempDir
    Path tmp;

    @Test
    void everyLineIsJsonAndEveryLineAboutARunNamesItsIdGoldenPathAndRequesterAndNoSecretIsLogged(CapturedOutput output)
            throws Exception {
        Conversation read = Conversation.read(CONVERSATION);
        Map<String, Object> settings = new LinkedHashMap<>(read.settings());
        settings.put("logging.structured.format.console", "ecs");
        settings.put("paver.github.webhook-secret", WEBHOOK_SECRET);
        Conversation conversation = new Conversation(read.file(), read.title(), read.description(), read.people(),
                read.channel(), read.cluster(), read.slackRefuses(), read.steps(), settings, read.namespaces(),
                read.sealedSecrets(), read.git(), read.clusters(), read.checks());
        List<Run> runs;
        try (ConversationRunner runner = new ConversationRunner(conversation, tmp)) {
            runner.run();
            runs = runner.runs();
        }
        assertThat(runs).extracting(r -> r.request().goldenPath()).contains("create-service", "create-secret");

        String all = output.getOut() + output.getErr();
        for (String secret : SECRETS) {
            assertThat(all).as("a secret value in Paver's output").doesNotContain(secret);
        }

        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.getOut().split("\\R")) {
            assertThat(line).as("a plain-text log line with structured logging on").doesNotMatch(PLAIN_LOG_LINE);
            if (line.startsWith("{")) {
                JsonNode json = JSON.readTree(line);
                assertThat(json.path("ecs").path("version").asText()).as("ECS: " + line).isNotEmpty();
                assertThat(json.path("log").path("level").asText()).as("ECS: " + line).isNotEmpty();
                lines.add(json);
            }
        }
        assertThat(lines).as("JSON lines from Paver").hasSizeGreaterThan(20);

        // the work of a request after its acknowledgement (reading the Sealed Secrets key to seal the pasted value)
        List<JsonNode> intake = lines.stream()
                .filter(l -> l.path("process").path("thread").path("name").asText().startsWith("paver-intake-")).toList();
        assertThat(intake).as("lines logged while a request's intake goes on").isNotEmpty();
        for (JsonNode line : intake) {
            assertThat(line.path("paver").path("slack").path("user").asText()).as(line.toString()).isEqualTo("U0DANA");
        }

        for (Run run : runs) {
            List<JsonNode> about = lines.stream().filter(l -> l.path("message").asText().contains(run.id())).toList();
            assertThat(about).as("lines about run %s (%s)", run.id(), run.request().goldenPath()).isNotEmpty();
            for (JsonNode line : about) {
                JsonNode fields = line.path("paver").path("run");
                assertThat(fields.path("id").asText()).as(line.toString()).isEqualTo(run.id());
                assertThat(fields.path("golden_path").asText()).as(line.toString()).isEqualTo(run.request().goldenPath());
                assertThat(fields.path("requester").asText()).as(line.toString()).isEqualTo("U0DANA");
            }
            assertThat(about).as("the steps of run %s, logged as they are done", run.id())
                    .anyMatch(l -> l.path("message").asText().contains("step is done"));
        }
    }
}
