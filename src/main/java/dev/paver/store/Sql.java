package dev.paver.store;

import dev.paver.core.run.RunStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DuplicateKeyException;

/** Column conversions and statement shapes the JDBC stores share; the same on H2 and PostgreSQL. */
final class Sql {

    private Sql() {
    }

    /**
     * The instant as a {@code TIMESTAMP WITH TIME ZONE} value in UTC, cut to the microseconds both databases keep
     * ({@link RunStore#kept}), so that what is read back (and compared in a {@code WHERE}) is exactly what was
     * written; null stays null.
     */
    static OffsetDateTime time(Instant instant) {
        return instant == null ? null : RunStore.kept(instant).atOffset(ZoneOffset.UTC);
    }

    /** A {@code TIMESTAMP WITH TIME ZONE} column as an instant, or null. */
    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** Empty text as SQL NULL (the records read a null back as empty). */
    static String text(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** {@code ?, ?, ?}: the placeholders of an {@code IN} list of {@code count} values ({@code count > 0}). */
    static String placeholders(int count) {
        return String.join(", ", Collections.nCopies(count, "?"));
    }

    /**
     * Runs {@code insert} unless its key is taken, then returns what is stored under the key: the new row, or the one
     * that was there first. A duplicate key that {@code stored} cannot find (another unique column) is rethrown.
     */
    static <T> T insertIfAbsent(Runnable insert, Supplier<Optional<T>> stored) {
        try {
            insert.run();
        } catch (DuplicateKeyException taken) {
            return stored.get().orElseThrow(() -> taken);
        }
        return stored.get().orElseThrow(() -> new IllegalStateException("an inserted row is not found again"));
    }
}
