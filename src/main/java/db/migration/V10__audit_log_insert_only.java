package db.migration;

import java.sql.Connection;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * On PostgreSQL, takes UPDATE, DELETE and TRUNCATE on {@code audit_log} away from everyone ({@code PUBLIC}) and from
 * the role that runs the migrations, which is the table's owner when Paver migrates its own database (Flyway runs as
 * Paver's role): PostgreSQL lets an owner revoke its own ordinary privileges, after which its {@code UPDATE} or
 * {@code DELETE} of an entry fails with "permission denied for table audit_log" while {@code INSERT} and
 * {@code SELECT} go on (PostgreSQL manual, GRANT: "an owner can choose to revoke some of their own ordinary
 * privileges, for example to make a table read-only for themselves as well as others"). Later migrations that alter
 * the table still can (that needs ownership, not privileges); one that must update entries has to grant itself
 * UPDATE first and revoke it after.
 *
 * <p>An owner can grant itself the privileges again, and a superuser ignores privileges: for an audit log Paver's own
 * role cannot edit at all, run the migrations as another role ({@code spring.flyway.user}) and Paver as a role that
 * does not own the tables, with the grants that docs/operations.md lists. H2 has no such privileges for its single
 * administrator: nothing is done there. A Java migration because the statements are PostgreSQL's; the other
 * migrations are portable SQL.
 */
public class V10__audit_log_insert_only extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        Connection connection = context.getConnection();
        if (!"PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())) {
            return;
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC");
            statement.execute("REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER");
        }
    }
}
