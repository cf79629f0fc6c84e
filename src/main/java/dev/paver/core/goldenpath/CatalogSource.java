package dev.paver.core.goldenpath;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The platform catalog as last read from the domain GitOps repositories (those named {@code *<suffix>}): their
 * {@code catalog/} folder: the Domain, its Systems, Components, Groups and Users; and the names of all repositories.
 * {@link #current()} never does I/O, so slash commands stay fast; {@link #refresh()} reads the repositories and is
 * called at start-up, before the server listens, and then periodically.
 */
public final class CatalogSource {

    private static final Logger LOG = Logger.getLogger(CatalogSource.class.getName());

    /** Where the catalog keeps what pickers offer and what promote and elevate check services against. */
    static final List<String> FOLDERS = List.of("catalog");

    private final RepositoryPort repositories;
    private final String suffix;
    private final AtomicReference<PlatformCatalog> current = new AtomicReference<>(PlatformCatalog.empty());
    private volatile Instant waitLogged;

    /** @param suffix the GitOps repository suffix of the conventions, e.g. {@code -gitops} */
    public CatalogSource(RepositoryPort repositories, String suffix) {
        this.repositories = repositories;
        this.suffix = suffix;
    }

    /** The catalog as last read; empty before the first refresh. */
    public PlatformCatalog current() {
        return current.get();
    }

    /** Reads every domain repository's {@code catalog/} folder; keeps the previous catalog when git fails. */
    public PlatformCatalog refresh() {
        try {
            Map<String, String> files = new LinkedHashMap<>();
            List<String> names = repositories.listRepositories();
            for (String repository : names) {
                if (repository.endsWith(suffix)) {
                    for (String folder : FOLDERS) {
                        repositories.readFiles(repository, folder).forEach((path, text) -> files.put(repository + "/" + path, text));
                    }
                }
            }
            current.set(CatalogReader.read(files).withRepositories(names));
        } catch (RuntimeException e) {
            Instant retryAt = e instanceof RepositoryPort.RepositoryException r ? r.retryAt() : null;
            if (retryAt == null) {
                LOG.log(Level.WARNING, "cannot refresh the platform catalog, keeping the previous one: " + e.getMessage());
            } else if (!retryAt.equals(waitLogged)) {
                // a rate limit: said once per wait, not at every refresh until it ends
                waitLogged = retryAt;
                LOG.log(Level.INFO, "the platform catalog waits for the git host before its next refresh: " + e.getMessage());
            }
        }
        return current.get();
    }
}
