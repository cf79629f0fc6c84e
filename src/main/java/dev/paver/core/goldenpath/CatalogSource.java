package dev.paver.core.goldenpath;

import dev.paver.core.convention.ManifestDocument;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The platform catalog as last read from the domain GitOps repositories (those named {@code *<suffix>}): their
 * {@code catalog/} folder: the Domain, its Systems, Components, Groups and Users; and the names of all repositories.
 * {@link #current()} never does I/O, so slash commands stay fast; {@link #refresh()} reads the repositories and is
 * called at start-up, before the server listens, and then periodically.
 *
 * <p>With {@link CatalogEntities} (a Backstage portal's catalog), the entities of its kinds come from there instead,
 * as last read by {@link #refreshEntities()}; until it has answered once, the repositories' entities of those kinds
 * stand in. When it cannot be read the last entities read are kept, and the log says so once, then once again when
 * it answers.
 */
public final class CatalogSource {

    private static final Logger LOG = Logger.getLogger(CatalogSource.class.getName());

    /** Where the catalog keeps what pickers offer and what promote and elevate check services against. */
    static final List<String> FOLDERS = List.of("catalog");

    private final RepositoryPort repositories;
    private final String suffix;
    private final CatalogEntities entities;
    private final AtomicReference<PlatformCatalog> current = new AtomicReference<>(PlatformCatalog.empty());
    private volatile Instant waitLogged;
    /** What the last successful reads gave: the repositories' files and names, the outside catalog's entities. */
    private Map<String, String> files = Map.of();
    private List<String> names = List.of();
    private List<ManifestDocument> outside;
    private volatile boolean outsideDown;

    /** @param suffix the GitOps repository suffix of the conventions, e.g. {@code -gitops} */
    public CatalogSource(RepositoryPort repositories, String suffix) {
        this(repositories, suffix, null);
    }

    /**
     * @param suffix   the GitOps repository suffix of the conventions, e.g. {@code -gitops}
     * @param entities where the entities of its kinds come from instead of the repositories; null for none
     */
    public CatalogSource(RepositoryPort repositories, String suffix, CatalogEntities entities) {
        this.repositories = repositories;
        this.suffix = suffix;
        this.entities = entities;
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
            synchronized (this) {
                this.files = files;
                this.names = names;
                rebuild();
            }
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

    /**
     * Reads the outside catalog's entities ({@link CatalogEntities#changed()}) and, when they changed, rebuilds the
     * catalog with them (no git I/O). When it cannot be read, the last entities read are kept: said in the log once
     * (a warning), and once again when it answers. Does nothing without an outside catalog.
     */
    public PlatformCatalog refreshEntities() {
        if (entities == null) {
            return current.get();
        }
        try {
            Optional<List<ManifestDocument>> changed = entities.changed();
            if (outsideDown) {
                outsideDown = false;
                LOG.log(Level.INFO, "the catalog of " + entities.describe() + " answers again");
            }
            if (changed.isPresent()) {
                synchronized (this) {
                    outside = List.copyOf(changed.get());
                    rebuild();
                }
            }
        } catch (RuntimeException e) {
            if (!outsideDown) {
                outsideDown = true;
                LOG.log(Level.WARNING, "cannot read the catalog of " + entities.describe() + ", keeping the "
                        + (outside == null ? "GitOps repositories' entities" : "last one read") + " until it answers: "
                        + e.getMessage());
            }
        }
        return current.get();
    }

    /** Whether the outside catalog failed at its last read (false without one). */
    public boolean outsideDown() {
        return outsideDown;
    }

    private synchronized void rebuild() {
        PlatformCatalog catalog = outside == null ? CatalogReader.read(files)
                : CatalogReader.read(files, entities.kinds(), outside);
        current.set(catalog.withRepositories(names));
    }
}
