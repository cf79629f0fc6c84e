package dev.paver.core.audit;

import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.Names;
import dev.paver.core.goldenpath.PlatformCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code /platform audit <query>} shows: the newest audit entries about a semantic key ({@code payments-prod-api}:
 * that environment, plus what concerned every environment of the service), a service ({@code api} or
 * {@code payments/api}: all its environments), a domain ({@code payments}: everything in it), a group of the catalog
 * ({@code team-payments}: everything about the services it owns, in every environment), or a person (their chat user
 * id {@code U0DANA}, or a mention of them: everything they did). A name that is both a domain and a group is read as
 * the domain; one that is both a service and a group, as the service. Who may read it is configured
 * ({@code paver.audit.readers}); the default is everyone in the workspace.
 */
public final class AuditTrail {

    /** How many entries the command shows. */
    public static final int SHOWN = 20;

    private static final Pattern USER = Pattern.compile("<?@?([UW][A-Z0-9]{2,})(\\|[^>]*)?>?");

    private final AuditLog log;
    private final Conventions conventions;
    private final Predicate<String> mayRead;

    /** An audit trail everyone may read. */
    public AuditTrail(AuditLog log, Conventions conventions) {
        this(log, conventions, user -> true);
    }

    /** @param mayRead whether a chat user id may read the audit log */
    public AuditTrail(AuditLog log, Conventions conventions, Predicate<String> mayRead) {
        this.log = log;
        this.conventions = conventions;
        this.mayRead = mayRead;
    }

    /** The entries found for a query, newest first. */
    public record Trail(String query, List<AuditEntry> entries) {
    }

    /**
     * @param reader who asks, a chat user id
     * @throws IllegalArgumentException with a message for the person when the query names nothing Paver knows, or
     *                                  when the reader may not read the audit log
     */
    public Trail recent(String query, PlatformCatalog catalog, String reader) {
        if (!mayRead.test(reader)) {
            throw new IllegalArgumentException("The audit log is open to the people paver.audit.readers names; ask the "
                    + "platform team to add you.");
        }
        String q = query == null ? "" : query.strip();
        Matcher user = USER.matcher(q);
        if (user.matches()) {
            return new Trail(q, log.recentBy(user.group(1), SHOWN));
        }
        if (q.matches("[a-z0-9-]{1,63}") && catalog.domains().containsKey(q) && conventions.parseKey(q).isEmpty()) {
            return new Trail(q, log.recentIn(q, SHOWN));
        }
        if (q.matches("[a-z0-9-]{1,63}") && catalog.groups().containsKey(q) && conventions.parseKey(q).isEmpty()
                && catalog.service(q).isEmpty()) {
            List<String> owned = groupSubjects(q, catalog);
            return new Trail(q, owned.isEmpty() ? List.of() : log.recent(owned, SHOWN));
        }
        return new Trail(q, log.recent(subjects(q, catalog), SHOWN));
    }

    /**
     * The subjects of every service {@code group} owns: the catalog Component's {@code spec.owner}, or its System's
     * when the Component names none; each as {@code {domain}/{service}} and its key in every environment.
     */
    List<String> groupSubjects(String group, PlatformCatalog catalog) {
        List<String> subjects = new ArrayList<>();
        for (PlatformCatalog.ServiceEntry service : catalog.services().values()) {
            String owner = service.owner() == null || service.owner().isEmpty()
                    ? catalog.system(service.system()).map(PlatformCatalog.SystemEntry::owner).orElse("") : service.owner();
            if (owner.equals(group) && !service.domain().isEmpty()) {
                subjects.add(service.domain() + "/" + service.name());
                for (String env : conventions.environments()) {
                    subjects.add(service.domain() + "-" + env + "-" + service.name());
                }
            }
        }
        return subjects;
    }

    List<String> subjects(String query, PlatformCatalog catalog) {
        if (!query.matches("[a-z0-9/-]{1,80}")) {
            throw new IllegalArgumentException("Give a key like payments-prod-api, a service like api, a domain like payments, "
                    + "a group like team-payments or a person's user id, e.g. `audit payments-prod-api`.");
        }
        var key = conventions.parseKey(query);
        if (key.isPresent()) {
            return List.of(query, key.get().domain() + "/" + key.get().service());
        }
        String service = query.contains("/") ? query.substring(query.indexOf('/') + 1) : query;
        PlatformCatalog.ServiceEntry entry = catalog.service(service).orElse(null);
        if (entry == null || entry.domain().isEmpty()) {
            throw new IllegalArgumentException(Names.quote(query) + " is neither a key {domain}-{env}-{service}, a service in "
                    + "the catalog, a domain nor a group; try e.g. `audit payments-prod-api`.");
        }
        List<String> subjects = new ArrayList<>();
        subjects.add(entry.domain() + "/" + service);
        for (String env : conventions.environments()) {
            subjects.add(entry.domain() + "-" + env + "-" + service);
        }
        return subjects;
    }
}
