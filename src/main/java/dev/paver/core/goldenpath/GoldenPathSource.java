package dev.paver.core.goldenpath;

import java.util.List;

/**
 * Golden paths that do not come from {@code templates/}: a Backstage catalog's Templates when Backstage is the engine.
 * Read once at start-up, beside the templates folder; one with the id of a template there takes its place
 * ({@link GoldenPathCatalog#with}).
 */
public interface GoldenPathSource {

    /**
     * The golden paths, each ready to run (its steps' actions registered).
     *
     * @throws CatalogEntities.Unavailable when the source cannot be read now
     */
    List<GoldenPath> load();

    /** Where they come from, for log lines, e.g. {@code Backstage at https://backstage.example.com}. */
    String describe();
}
