package dev.paver.conversation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/** Replays every conversation under {@code conversations/}: the acceptance tests. */
class ConversationTest {

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> everyConversationHoldsWhenReplayed() throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of("conversations"))) {
            // -Dconversation=promote/ replays only the files whose path contains it
            String only = System.getProperty("conversation", "");
            files = walk.filter(p -> p.toString().endsWith(".yaml") && p.toString().contains(only)).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no conversation files under conversations/");
        }
        return files.stream().map(file -> DynamicTest.dynamicTest(Path.of("conversations").relativize(file).toString(), () -> {
            Conversation conversation = Conversation.read(file);
            // a folder per conversation: bad-input-changes-nothing.yaml is a name in several folders
            Path work = Files.createDirectories(tmp.resolve(Path.of("conversations").relativize(file).toString()
                    .replace(".yaml", "")));
            try (ConversationRunner runner = new ConversationRunner(conversation, work)) {
                runner.run();
            }
        }));
    }
}
