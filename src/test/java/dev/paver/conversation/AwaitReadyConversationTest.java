package dev.paver.conversation;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code crossplane:} harness step and {@code crossplane:await-ready} end to end in a real Paver, with a test-only
 * golden path ({@code src/test/resources/crossplane-await/}) until a golden path of the project renders claims; not
 * under {@code conversations/}, which documents the project's own golden paths.
 */
class AwaitReadyConversationTest {

    @TempDir
    Path tmp;

    @Test
    void aClaimIsFollowedFromCreatingToReadyThroughAnErrorASlowReportAndARestart() throws Exception {
        Conversation conversation = Conversation.read(Path.of("src", "test", "resources", "crossplane-await", "await-ready.yaml"));
        try (ConversationRunner runner = new ConversationRunner(conversation, tmp)) {
            runner.run();
        }
    }
}
