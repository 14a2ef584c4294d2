package io.pocketbus.core.spi;

import java.nio.file.Path;
import java.sql.SQLException;

/**
 * A SQL engine plugged into the core. The core speaks SQLite-flavoured SQL (PocketBase's schema) through
 * plain {@code java.sql}; the dialect owns connections and the engine-specific details.
 */
public interface Dialect {
    /** A short name, e.g. {@code sqlite}. */
    String name();

    /** Opens (creating if missing) the database file with one writer and {@code readers} reader connections. */
    ConnectionPool open(Path file, int readers);

    /** True when the exception is a UNIQUE constraint violation. */
    boolean isUniqueViolation(SQLException e);
}
