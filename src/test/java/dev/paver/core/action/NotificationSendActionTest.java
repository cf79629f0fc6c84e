package dev.paver.core.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paver.core.access.IdentityPort;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.ParameterSchema;
import dev.paver.core.report.Message;
import dev.paver.core.run.ActionContext;
import dev.paver.core.run.ActionResult;
import dev.paver.core.run.Milestone;
import dev.paver.core.run.RecordingNotifier;
import dev.paver.core.run.RunRequest;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Backstage's {@code notification:send} in Paver: entity refs of catalog Users reach the Slack users the identity
 * mapping names, in a direct message; the thread says who was told and who could not be; broadcast is the thread.
 */
class NotificationSendActionTest {

    /** dana and guest are mapped (paver.identity.users); sam is not. */
    private static final IdentityPort IDENTITIES = new IdentityPort() {
        @Override
        public Optional<String> clusterIdentity(String userId) {
            return Optional.empty();
        }

        @Override
        public Optional<String> chatUser(String catalogUser) {
            return Optional.ofNullable(Map.of("dana", "U0DANA", "guest", "U0GUEST").get(catalogUser));
        }
    };

    private final RecordingNotifier slack = new RecordingNotifier();

    private ActionResult send(Map<String, Object> input) {
        GoldenPath path = new GoldenPath("demo-template", "Demo", "", ParameterSchema.read(List.of()), List.of(),
                Map.of(), List.of(), Path.of("."));
        RunRequest request = new RunRequest("demo-template", Map.of(), Map.of(), "U0DANA", RunRequest.Origin.TYPED,
                "C0PAYMENTS");
        Instant now = Instant.parse("2026-12-06T10:00:00Z");
        return new NotificationSendAction(IDENTITIES, slack).execute(new ActionContext("r1", "notify", now, now, request,
                path, input, new LinkedHashMap<>(), Clock.systemUTC()));
    }

    private static String thread(ActionResult result) {
        return ((ActionResult.Done) result).milestones().stream().map(Milestone::text).reduce("", String::concat);
    }

    @Test
    void eachMappedUserGetsADirectMessageAndTheThreadNamesWhoWasToldAndWhoNot() {
        ActionResult result = send(Map.of("recipients", "entity", "entityRefs",
                List.of("user:default/guest", "user:default/sam", "group:default/team-payments", "dana"),
                "title", "Template executed", "info", "Your template has been executed", "severity", "normal",
                "link", "https://example.com/runs/r1"));

        assertThat(slack.posted).hasSize(2);
        assertThat(slack.posted.keySet()).anyMatch(k -> k.startsWith("U0GUEST/")).anyMatch(k -> k.startsWith("U0DANA/"));
        Message dm = slack.posted.entrySet().stream().filter(e -> e.getKey().startsWith("U0GUEST/")).findFirst()
                .orElseThrow().getValue();
        assertThat(dm.text()).contains("Template executed", "Your template has been executed", "Paver run r1");
        assertThat(dm.links()).singleElement().satisfies(l -> assertThat(l.url()).isEqualTo("https://example.com/runs/r1"));
        assertThat(thread(result)).contains("sent to " + Message.mention("U0GUEST") + " (user:default/guest), "
                        + Message.mention("U0DANA") + " (dana)")
                .contains("user:default/sam (no Slack user maps to it in paver.identity.users)")
                .contains("group:default/team-payments (Paver notifies User entities only)");
    }

    @Test
    void broadcastIsTheRunsThreadAndHighSeverityIsMarked() {
        ActionResult result = send(Map.of("recipients", "broadcast", "title", "Pages are down", "severity", "critical"));

        assertThat(slack.posted).isEmpty();
        assertThat(thread(result)).isEqualTo(":warning: Pages are down");
    }

    @Test
    void badInputIsRefusedBeforeAnyoneIsToldAndOptionalLeavesOutMissingRefs() {
        assertThatThrownBy(() -> send(Map.of("recipients", "everyone", "title", "x")))
                .hasMessageContaining("recipients everyone is not one of entity, broadcast");
        assertThatThrownBy(() -> send(Map.of("recipients", "entity", "title", "x")))
                .hasMessageContaining("entityRefs must be provided");
        assertThatThrownBy(() -> send(Map.of("recipients", "entity", "entityRefs", List.of("user:default/dana"),
                "title", "x", "severity", "urgent"))).hasMessageContaining("severity urgent is not one of");
        assertThat(send(Map.of("recipients", "entity", "title", "x", "optional", true)))
                .isInstanceOfSatisfying(ActionResult.Done.class, d -> assertThat(d.detail()).contains("nobody"));
        assertThat(slack.posted).isEmpty();
    }
}
