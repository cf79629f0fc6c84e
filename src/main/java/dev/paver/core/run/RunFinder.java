package dev.paver.core.run;

import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.Names;
import dev.paver.core.convention.SemanticKey;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds runs for {@code /platform runs} and {@code /platform status}: a person's own runs, the runs about a semantic
 * key or a service, and one run by its id. Runs are matched by their subject ({@link Intake#subject}), the one the
 * audit log records: a key {@code payments-prod-api} finds the runs of that namespace and those about the service as a
 * whole ({@code payments/api}: create-service, for one); a service {@code api} or {@code payments/api} finds the runs
 * of every environment of it, also while it is not in the catalog yet (its create-service still waits for the merge).
 */
public final class RunFinder {

    /** How many runs an answer lists. */
    public static final int SHOWN = 10;

    /** How many of the newest runs a search by key or service looks at. */
    public static final int SEARCHED = 1000;

    /** What a run id is made of ({@code r}, the time in base 36 and 8 hex digits). */
    private static final Pattern RUN_ID = Pattern.compile("[a-z0-9-]{1,40}");
    private static final Pattern QUERY = Pattern.compile("[a-z0-9/-]{1,80}");

    private final RunStore store;
    private final Conventions conventions;

    public RunFinder(RunStore store, Conventions conventions) {
        this.store = store;
        this.conventions = conventions;
    }

    /**
     * Runs found for a query, newest first.
     *
     * @param query    what was asked for: the key, the service, or empty for the requester's own runs
     * @param runs     at most {@link #SHOWN}
     * @param more     whether more runs matched than are listed
     */
    public record Found(String query, List<Run> runs, boolean more) {
    }

    /** The newest runs {@code requester} (a Slack user id) asked for. */
    public Found mine(String requester) {
        List<Run> runs = store.recentBy(requester, SHOWN + 1);
        return new Found("", runs.subList(0, Math.min(SHOWN, runs.size())), runs.size() > SHOWN);
    }

    /**
     * The newest runs about a key ({@code payments-prod-api}) or a service ({@code api}, {@code payments/api}), among
     * the {@value #SEARCHED} newest runs.
     *
     * @throws IllegalArgumentException with a message for the person when the query is neither
     */
    public Found about(String query) {
        String q = query == null ? "" : query.strip();
        if (!QUERY.matcher(q).matches()) {
            throw new IllegalArgumentException("Give a key like payments-prod-api or a service like api or payments/api, e.g. "
                    + "`runs payments-prod-api`.");
        }
        Optional<SemanticKey> key = conventions.parseKey(q);
        String domain = key.map(SemanticKey::domain).orElse(q.contains("/") ? q.substring(0, q.indexOf('/')) : null);
        String service = key.map(SemanticKey::service).orElse(q.substring(q.indexOf('/') + 1));
        if (service.isEmpty() || (domain != null && domain.isEmpty())) {
            throw new IllegalArgumentException(Names.quote(q) + " is neither a key {domain}-{env}-{service} nor a service; try e.g. "
                    + "`runs payments-prod-api` or `runs api`.");
        }
        List<Run> matching = store.recent(SEARCHED).stream()
                .filter(run -> about(Intake.subject(run.request()), key.isPresent() ? q : null, domain, service))
                .limit(SHOWN + 1L).toList();
        return new Found(q, matching.subList(0, Math.min(SHOWN, matching.size())), matching.size() > SHOWN);
    }

    /**
     * Whether a run's subject is about the query: the key itself or its service as a whole, when a key was asked for;
     * any environment of the service or the service as a whole otherwise ({@code domain} null: in any domain).
     */
    private boolean about(String subject, String askedKey, String domain, String service) {
        if (subject.contains("/")) {
            String subjectDomain = subject.substring(0, subject.indexOf('/'));
            return subject.substring(subject.indexOf('/') + 1).equals(service) && (domain == null || subjectDomain.equals(domain));
        }
        if (askedKey != null) {
            return subject.equals(askedKey);
        }
        return conventions.parseKey(subject)
                .filter(k -> k.service().equals(service) && (domain == null || k.domain().equals(domain))).isPresent();
    }

    /**
     * One run by its id, as its card and answers show it ({@code r...}).
     *
     * @throws IllegalArgumentException with a message for the person when the text cannot be a run id
     */
    public Optional<Run> byId(String id) {
        String typed = id == null ? "" : id.strip().replace("`", "");
        if (!RUN_ID.matcher(typed).matches()) {
            throw new IllegalArgumentException("A run id is letters, digits and '-', as the run's card and `runs` show it, e.g. "
                    + "`status rmfx3k2a1c4f3a9b1`.");
        }
        return store.find(typed);
    }
}
