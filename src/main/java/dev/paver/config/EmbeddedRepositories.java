package dev.paver.config;

import dev.paver.git.JGitRepositories;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default's git content: on first start, a {@code payments-gitops} domain repository holding the
 * {@code checkout} system and the {@code team-payments} group, so that a newcomer has somewhere to create a
 * service. The files are in the jar under {@code seed/payments-gitops/}.
 */
public final class EmbeddedRepositories {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRepositories.class);

    private EmbeddedRepositories() {
    }

    /** Creates {@code payments-gitops} from the seed files in the embedded repositories, unless it exists already. */
    public static void seed(JGitRepositories repositories) {
        Map<String, String> files = ClasspathFolder.read("seed/payments-gitops");
        if (repositories.seed("payments-gitops", files, "Create the payments domain with the checkout system")) {
            LOG.info("created the embedded repository payments-gitops at {}", repositories.bareRepository("payments-gitops"));
        }
    }
}
