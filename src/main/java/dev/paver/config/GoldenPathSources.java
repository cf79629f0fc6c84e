package dev.paver.config;

import dev.paver.core.goldenpath.CatalogEntities;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathSource;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the golden paths that do not come from {@code templates/} (a Backstage catalog's Templates, when Backstage is the
 * engine) into the {@link GoldenPathCatalog}: once while the catalog is built, then again at every {@link #refresh}
 * (every {@code paver.backstage.catalog-refresh}, scheduled by {@link Starter}), so that a Template added or changed in
 * Backstage is offered without a restart, and a Backstage that did not answer at the start is read once it does. While a
 * source has never been read, runs of golden paths the catalog does not know wait for it instead of failing
 * ({@link GoldenPathCatalog#awaitingSources()}): after a restart during a Backstage outage, the runs of its Templates go on
 * once it is back.
 *
 * <p>A source that cannot be read is logged once per outage (a warning), and once more when it is read again.
 */
public final class GoldenPathSources {

    private static final Logger LOG = LoggerFactory.getLogger(GoldenPathSources.class);

    private final List<GoldenPathSource> sources;
    /** The sources read at least once. */
    private final Set<GoldenPathSource> read = ConcurrentHashMap.newKeySet();
    /** The sources whose last read failed (the failure is logged once, when it starts). */
    private final Set<GoldenPathSource> failing = ConcurrentHashMap.newKeySet();
    private volatile GoldenPathCatalog catalog;

    /** @param sources where golden paths come from besides {@code templates/}; may be empty */
    public GoldenPathSources(List<GoldenPathSource> sources) {
        this.sources = List.copyOf(sources);
    }

    /** True when there is a source to read: {@link Starter} schedules {@link #refresh} only then. */
    public boolean any() {
        return !sources.isEmpty();
    }

    /** Reads every source into {@code catalog}, which later {@link #refresh refreshes} read into too. */
    public void readInto(GoldenPathCatalog catalog) {
        this.catalog = catalog;
        refresh();
    }

    /**
     * Reads every source again into the catalog of {@link #readInto}: golden paths are added or replaced, never removed
     * ({@link GoldenPathCatalog#refresh}). Does nothing before {@link #readInto}. Never throws for a source that cannot be
     * read ({@link CatalogEntities.Unavailable}): it is read again next time.
     */
    public void refresh() {
        GoldenPathCatalog into = catalog;
        if (into == null) {
            return;
        }
        boolean awaiting = false;
        for (GoldenPathSource source : sources) {
            try {
                List<GoldenPath> paths = source.load();
                List<String> added = into.refresh(paths);
                boolean first = read.add(source);
                if (first) {
                    LOG.info("golden paths from {}: {}", source.describe(), paths.stream().map(GoldenPath::id).toList());
                } else if (!added.isEmpty() || failing.contains(source)) {
                    LOG.info("golden paths from {} read again: {} new", source.describe(), added);
                }
                failing.remove(source);
            } catch (CatalogEntities.Unavailable e) {
                awaiting |= !read.contains(source);
                if (failing.add(source)) {
                    LOG.warn("golden paths from {} cannot be read now ({}); they are read again every refresh, and runs of"
                            + " golden paths not read yet wait for them", source.describe(), e.getMessage());
                }
            }
        }
        into.awaitingSources(awaiting);
    }
}
