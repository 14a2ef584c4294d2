package io.pocketbus.db.sqlite;

import io.pocketbus.core.spi.ConnectionPool;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.sqlite.SQLiteConfig;

/** One writer connection guarded by a reentrant lock, and a fixed pool of reader connections. */
final class SqlitePool implements ConnectionPool {
    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> idleReaders;
    private final List<Connection> allReaders;
    private volatile boolean closed;

    private SqlitePool(Connection writer, List<Connection> readers) {
        this.writer = writer;
        this.allReaders = List.copyOf(readers);
        this.idleReaders = new ArrayBlockingQueue<>(readers.size(), false, readers);
    }

    static SqlitePool open(Path file, int readers, int busyTimeoutMillis) throws SQLException {
        String url = "jdbc:sqlite:" + file.toAbsolutePath();
        Connection writer = config(busyTimeoutMillis).createConnection(url);
        List<Connection> pool = new ArrayList<>();
        try {
            for (int i = 0; i < readers; i++) {
                Connection reader = config(busyTimeoutMillis).createConnection(url);
                pool.add(reader);
                // WAL lets readers read while the writer writes; query_only keeps them from writing
                try (java.sql.Statement st = reader.createStatement()) {
                    st.execute("PRAGMA query_only = 1");
                }
            }
        } catch (SQLException e) {
            for (Connection c : pool) {
                c.close();
            }
            writer.close();
            throw e;
        }
        return new SqlitePool(writer, pool);
    }

    private static SQLiteConfig config(int busyTimeoutMillis) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(busyTimeoutMillis);
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.enforceForeignKeys(true);
        config.setTempStore(SQLiteConfig.TempStore.MEMORY);
        config.setCacheSize(-32000);
        config.setJournalSizeLimit(200_000_000);
        return config;
    }

    @Override
    public <T> T withWriter(SqlWork<T> work) throws SQLException {
        ensureOpen();
        writeLock.lock();
        try {
            return work.run(writer);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public <T> T withReader(SqlWork<T> work) throws SQLException {
        ensureOpen();
        Connection c;
        try {
            c = idleReaders.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for a reader connection", e);
        }
        try {
            return work.run(c);
        } finally {
            idleReaders.add(c);
        }
    }

    private void ensureOpen() throws SQLException {
        if (closed) {
            throw new SQLException("database is closed");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeLock.lock();
        try {
            for (Connection c : allReaders) {
                closeQuietly(c);
            }
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // closing: nothing left to do with a failing connection
        }
    }
}
