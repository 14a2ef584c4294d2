package io.pocketbus.db.sqlite;

import io.pocketbus.core.spi.ConnectionPool;
import io.pocketbus.core.spi.Dialect;
import java.nio.file.Path;
import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** SQLite through xerial sqlite-jdbc, configured as PocketBase configures its databases. */
public final class SqliteDialect implements Dialect {
    private final int busyTimeoutMillis;

    private SqliteDialect(int busyTimeoutMillis) {
        this.busyTimeoutMillis = busyTimeoutMillis;
    }

    /** PocketBase's defaults: WAL, busy_timeout 10 s, foreign keys on, synchronous NORMAL. */
    public static SqliteDialect create() {
        return new SqliteDialect(10_000);
    }

    public static SqliteDialect withBusyTimeout(int millis) {
        return new SqliteDialect(millis);
    }

    @Override
    public String name() {
        return "sqlite";
    }

    @Override
    public ConnectionPool open(Path file, int readers) {
        try {
            return SqlitePool.open(file, readers, busyTimeoutMillis);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean isUniqueViolation(SQLException e) {
        if (e instanceof SQLiteException se) {
            SQLiteErrorCode code = se.getResultCode();
            if (code == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE || code == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY) {
                return true;
            }
        }
        String m = e.getMessage();
        return m != null && m.contains("UNIQUE constraint failed");
    }
}
