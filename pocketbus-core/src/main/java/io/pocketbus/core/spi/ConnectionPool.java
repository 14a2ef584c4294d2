package io.pocketbus.core.spi;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connections of one database: a single writer, used by one thread at a time (writes are serialised,
 * as SQLite allows only one writer), and a pool of readers.
 */
public interface ConnectionPool extends AutoCloseable {
    /** Runs {@code work} holding the writer connection exclusively; reentrant on the same thread. */
    <T> T withWriter(SqlWork<T> work) throws SQLException;

    /** Runs {@code work} on a reader connection. */
    <T> T withReader(SqlWork<T> work) throws SQLException;

    @Override
    void close();

    /** A unit of work on a connection. */
    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
