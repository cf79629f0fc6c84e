package dev.paver.demo;

import dev.paver.conversation.Conversation;
import dev.paver.conversation.ConversationRunner;
import dev.paver.conversation.Transcript;
import dev.paver.core.run.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Paver's main job on embedded defaults: replays {@code conversations/create-service/by-command.yaml} (or the file
 * given as the first argument) against a real Paver server, a Slack stand-in, local git repositories and a mock
 * Kubernetes API server, all on loopback, and prints the Slack channel as a person would read it. The git
 * repositories stay in {@code target/demo/git} to be looked at afterwards.
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "conversations/create-service/by-command.yaml");
        Path work = Path.of("target", "demo").toAbsolutePath();
        if (Files.exists(work)) {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(work);
        Conversation conversation = Conversation.read(file);
        System.out.println("Paver demo: " + conversation.title());
        System.out.println(conversation.description());
        System.out.println();
        long start = System.nanoTime();
        Transcript transcript;
        try (ConversationRunner runner = new ConversationRunner(conversation, work)) {
            transcript = runner.run();
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.println(transcript.render());
            Path gitops = runner.repository("payments-gitops");
            System.out.println("The conversation took " + millis + " ms end to end, starting Paver included. Acknowledgements: "
                    + runner.ackMillis() + " ms.");
            for (Run run : runner.runs()) {
                System.out.println(RunTimes.describe(run));
            }
            System.out.println();
            if (conversation.git().equals("github")) {
                // the repositories were on the GitHub stand-in, which is gone with the run
                System.out.println("The repositories were on the GitHub stand-in (git: github): nothing to look at afterwards.");
            } else {
                System.out.println("The GitOps repository is " + gitops);
                System.out.println("  git --git-dir " + gitops + " log --oneline --graph --all");
                System.out.println("  git --git-dir " + gitops + " show --stat main");
            }
        }
        System.exit(0);
    }
}
