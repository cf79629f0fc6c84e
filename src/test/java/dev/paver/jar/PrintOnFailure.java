package dev.paver.jar;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints, when a test fails, what a person would look at: everything the packaged jar wrote to standard output and
 * error, and the Slack channel as it reads. Register it as an instance field of a jar test
 * ({@code @RegisterExtension}); it reads the jar and workspace of the moment of the failure.
 */
final class PrintOnFailure implements TestWatcher {

    private final Supplier<PaverJar> paver;
    private final Supplier<SlackWorkspace> slack;

    PrintOnFailure(Supplier<PaverJar> paver, Supplier<SlackWorkspace> slack) {
        this.paver = paver;
        this.slack = slack;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        PaverJar jar = paver.get();
        SlackWorkspace workspace = slack.get();
        System.err.println("--- " + context.getDisplayName() + " failed; paver.jar's output ---\n"
                + (jar == null ? "(not started)" : jar.log()) + "\n--- the channel ---\n"
                + (workspace == null ? "(none)" : workspace.render()));
    }
}
