package dev.paver.config;

import dev.paver.core.goldenpath.CatalogEntities;
import dev.paver.core.goldenpath.GoldenPath;
import dev.paver.core.goldenpath.GoldenPathCatalog;
import dev.paver.core.goldenpath.GoldenPathSource;
import java.util.List;
import java.util.Map;
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
    /** Per source: true once read; false while it has not been read since its last failure was logged. */
    private final Map<GoldenPathSource, Boolean> read = new ConcurrentHashMap<>();
    private final Map<GoldenPathSource, Boolean> failing = new ConcurrentHashMap<>();
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
                boolean first = read.put(source, true) == null;
                if (first) {
                    LOG.info("golden paths from {}: {}", source.describe(), paths.stream().map(GoldenPath::id).toList());
                } else if (!added.isEmpty() || failing.containsKey(source)) {
                    LOG.info("golden paths from {} read again: {} new", source.describe(), added);
                }
                failing.remove(source);
            } catch (CatalogEntities.Unavailable e) {
                awaiting |= !read.containsKey(source);
                if (failing.put(source, true) == null) {
                    LOG.warn("golden paths from {} cannot be read now ({}); they are read again every refresh, and runs of"
                            + " golden paths not read yet wait for them", source.describe(), e.getMessage());
                }
            }
        }
        into.awaitingSources(awaiting);
    }
}
