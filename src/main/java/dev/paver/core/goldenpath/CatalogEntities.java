package dev.paver.core.goldenpath;

import dev.paver.core.convention.ManifestDocument;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A catalog outside the domain GitOps repositories that is the source of some kinds of entity, such as a Backstage
 * portal's catalog: where it is set, {@link CatalogSource} takes the entities of {@link #kinds()} from it instead of
 * from the repositories' {@code catalog/} folders, so that pickers and checks offer what the portal offers.
 */
public interface CatalogEntities {

    /** The kinds it is the source of, spelt as Backstage does, e.g. {@code Domain}, {@code System}, {@code Group}, {@code User}. */
    Set<String> kinds();

    /**
     * The entities of {@link #kinds()}, when they changed since the last call that returned some (always on the first
     * successful call); empty when they are unchanged. Meant to be cheap when nothing changed.
     *
     * @return each entity as a document ({@code apiVersion}, {@code kind}, {@code metadata}, {@code spec}), or empty
     * @throws Unavailable when the catalog cannot be read (down, slow, the credential refused, an answer that is not
     *                     the catalog's); the message says which and holds no credential
     */
    Optional<List<ManifestDocument>> changed();

    /** Where the entities come from, for log lines, e.g. {@code Backstage at https://backstage.example.com}. */
    String describe();

    /** The outside catalog could not be read; the message says why, without any credential. */
    class Unavailable extends RuntimeException {

        /** @param message what failed and where */
        public Unavailable(String message) {
            super(message);
        }

        /** @param message what failed and where; @param cause what failed underneath */
        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
