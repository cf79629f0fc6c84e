package dev.paver.core.report;

import java.util.List;

/**
 * A thread reply: one milestone of a run, in plain words, with links.
 *
 * @param text  what happened, Slack mrkdwn-free plain text (the renderer escapes it)
 * @param links pull requests, repositories, Argo CD applications
 */
public record Message(String text, List<Link> links) {
    public Message {
        links = List.copyOf(links);
    }

}
