package dev.paver.core.run;

import dev.paver.core.report.Link;
import dev.paver.core.report.Message;
import java.util.List;

/**
 * Something a person should read in the run's thread: a pull request opened, merged, a sync, a deployment.
 *
 * @param key   unique within the step, so that it is posted once per run whatever happens ({@code opened},
 *              {@code merged}, {@code syncing:<revision>})
 * @param text  the reply's text
 * @param links links to show with it
 * @param buttons buttons to show with it (an Extend button on a reminder)
 */
public record Milestone(String key, String text, List<Link> links, List<Message.Button> buttons) {
    public Milestone {
        links = List.copyOf(links);
        buttons = List.copyOf(buttons);
    }

    /** A milestone with links and no buttons. */
    public Milestone(String key, String text, List<Link> links) {
        this(key, text, links, List.of());
    }

    /** A milestone without links. */
    public static Milestone of(String key, String text) {
        return new Milestone(key, text, List.of());
    }
}
