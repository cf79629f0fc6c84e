package dev.paver.core.audit;

import dev.paver.core.convention.Conventions;
import dev.paver.core.convention.Names;
import dev.paver.core.goldenpath.PlatformCatalog;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code /platform audit <key>} shows: the newest audit entries about a semantic key
 * ({@code payments-prod-api}: that environment, plus what concerned every environment of the service) or a service
 * ({@code api} or {@code payments/api}: all its environments).
 */
public final class AuditTrail {

    /** How many entries the command shows. */
    public static final int SHOWN = 20;

    private final AuditLog log;
    private final Conventions conventions;

    public AuditTrail(AuditLog log, Conventions conventions) {
        this.log = log;
        this.conventions = conventions;
    }

    /** The entries found for a query, newest first. */
    public record Trail(String query, List<AuditEntry> entries) {
    }

    /**
     * @throws IllegalArgumentException with a message for the person when the query names nothing Paver knows
     */
    public Trail recent(String query, PlatformCatalog catalog) {
        return new Trail(query, log.recent(subjects(query == null ? "" : query.strip(), catalog), SHOWN));
    }

    List<String> subjects(String query, PlatformCatalog catalog) {
        if (!query.matches("[a-z0-9/-]{1,80}")) {
            throw new IllegalArgumentException("Give a key like payments-prod-api or a service like api, e.g. `audit payments-prod-api`.");
        }
        var key = conventions.parseKey(query);
        if (key.isPresent()) {
            return List.of(query, key.get().domain() + "/" + key.get().service());
        }
        String service = query.contains("/") ? query.substring(query.indexOf('/') + 1) : query;
        PlatformCatalog.ServiceEntry entry = catalog.service(service).orElse(null);
        if (entry == null || entry.domain().isEmpty()) {
            throw new IllegalArgumentException(Names.quote(query) + " is neither a key {domain}-{env}-{service} nor a service in "
                    + "the catalog; try e.g. `audit payments-prod-api`.");
        }
        List<String> subjects = new ArrayList<>();
        subjects.add(entry.domain() + "/" + service);
        for (String env : conventions.environments()) {
            subjects.add(entry.domain() + "-" + env + "-" + service);
        }
        return subjects;
    }
}
