package io.pocketbus.core;

import io.pocketbus.core.spi.ConnectionPool;
import io.pocketbus.core.spi.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A small query API over one database (data.db or auxiliary.db). Only positional {@code ?} parameters.
 * Inside {@link #inTransaction} every call on the same thread runs on the transaction's connection;
 * outside, reads use a reader connection and writes the (serialised) writer.
 */
public final class Db {
    private final ConnectionPool pool;
    private final Dialect dialect;
    private final ThreadLocal<Connection> tx = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> afterCommit = new ThreadLocal<>();
    private final ThreadLocal<List<Runnable>> afterRollback = new ThreadLocal<>();
    private final java.util.concurrent.atomic.AtomicLong savepoints = new java.util.concurrent.atomic.AtomicLong();

    Db(ConnectionPool pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /** Maps the current row of a result set. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /** Runs a query and maps every row. */
    public <T> List<T> query(String sql, List<?> params, RowMapper<T> mapper) {
        return read(c -> {
            try (PreparedStatement ps = prepare(c, sql, params); ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        });
    }

    /** The first row, if any. */
    public <T> Optional<T> queryOne(String sql, List<?> params, RowMapper<T> mapper) {
        List<T> rows = query(sql, params, mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** Executes a statement; returns the affected row count. */
    public int exec(String sql, List<?> params) {
        return write(c -> {
            try (PreparedStatement ps = prepare(c, sql, params)) {
                return ps.executeUpdate();
            }
        });
    }

    /** Executes one statement once per parameter list, prepared once (bulk inserts). */
    public void execEach(String sql, List<? extends List<?>> paramLists) {
        write(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (List<?> params : paramLists) {
                    bind(ps, params);
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** Executes a statement without parameters (DDL). */
    public void execDdl(String sql) {
        exec(sql, List.of());
    }

    /** True when the calling thread is inside a transaction of this database. */
    public boolean inTransaction() {
        return tx.get() != null;
    }

    /**
     * Runs {@code body} in a transaction. Any exception rolls back and is rethrown; SQL errors become an
     * internal {@link ApiError}. Nested calls run in a SAVEPOINT, so a failing inner unit is undone even when
     * the outer one catches the error and goes on.
     */
    public <T> T inTransaction(Supplier<T> body) {
        Connection current = tx.get();
        if (current != null) {
            return inSavepoint(current, body);
        }
        try {
            List<Runnable> commits = new ArrayList<>();
            List<Runnable> rollbacks = new ArrayList<>();
            T result;
            try {
                result = pool.withWriter(c -> {
                    boolean auto = c.getAutoCommit();
                    c.setAutoCommit(false);
                    tx.set(c);
                    afterCommit.set(commits);
                    afterRollback.set(rollbacks);
                    try {
                        T r = body.get();
                        c.commit();
                        return r;
                    } catch (RuntimeException | Error e) {
                        c.rollback();
                        throw e;
                    } finally {
                        tx.remove();
                        afterCommit.remove();
                        afterRollback.remove();
                        c.setAutoCommit(auto);
                    }
                });
            } catch (RuntimeException | Error | SQLException e) {
                rollbacks.forEach(Runnable::run);
                throw e;
            }
            commits.forEach(Runnable::run);
            return result;
        } catch (SQLException e) {
            throw sqlError(e);
        }
    }

    private <T> T inSavepoint(Connection c, Supplier<T> body) {
        String name = "pb_sp_" + savepoints.incrementAndGet();
        List<Runnable> outerCommits = afterCommit.get();
        List<Runnable> outerRollbacks = afterRollback.get();
        List<Runnable> commits = new ArrayList<>();
        List<Runnable> rollbacks = new ArrayList<>();
        statement(c, "SAVEPOINT " + name);
        afterCommit.set(commits);
        afterRollback.set(rollbacks);
        try {
            T result = body.get();
            statement(c, "RELEASE " + name);
            outerCommits.addAll(commits);
            outerRollbacks.addAll(rollbacks);
            return result;
        } catch (RuntimeException | Error e) {
            statement(c, "ROLLBACK TO " + name);
            statement(c, "RELEASE " + name);
            afterCommit.set(outerCommits);
            afterRollback.set(outerRollbacks);
            rollbacks.forEach(Runnable::run);
            throw e;
        } finally {
            afterCommit.set(outerCommits);
            afterRollback.set(outerRollbacks);
        }
    }

    private void statement(Connection c, String sql) {
        try (java.sql.Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            throw sqlError(e);
        }
    }

    /** Runs {@code action} after the current transaction commits, or now when there is none. */
    public void onCommit(Runnable action) {
        List<Runnable> list = afterCommit.get();
        if (list == null) {
            action.run();
        } else {
            list.add(action);
        }
    }

    /** Runs {@code action} if the current transaction rolls back; nothing when there is none. */
    public void onRollback(Runnable action) {
        List<Runnable> list = afterRollback.get();
        if (list != null) {
            list.add(action);
        }
    }

    /** Runs raw JDBC work on a reader (or the transaction's connection). */
    public <T> T read(ConnectionPool.SqlWork<T> work) {
        Connection c = tx.get();
        try {
            return c != null ? work.run(c) : pool.withReader(work);
        } catch (SQLException e) {
            throw sqlError(e);
        }
    }

    /** Runs raw JDBC work on the writer (or the transaction's connection). */
    public <T> T write(ConnectionPool.SqlWork<T> work) {
        Connection c = tx.get();
        try {
            return c != null ? work.run(c) : pool.withWriter(work);
        } catch (SQLException e) {
            throw sqlError(e);
        }
    }

    Dialect dialect() {
        return dialect;
    }

    void close() {
        pool.close();
    }

    private static PreparedStatement prepare(Connection c, String sql, List<?> params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        try {
            bind(ps, params);
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    private static void bind(PreparedStatement ps, List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Boolean b) {
                ps.setBoolean(i + 1, b);
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    private ApiError sqlError(SQLException e) {
        return new DbException(e, dialect.isUniqueViolation(e));
    }

    /** A database failure; a 400 when it is a unique constraint violation (mapped to fields by the caller). */
    public static final class DbException extends ApiError {
        private static final long serialVersionUID = 1L;
        private final boolean uniqueViolation;

        DbException(SQLException cause, boolean uniqueViolation) {
            super(uniqueViolation ? 400 : 500, "", java.util.Map.of(), cause);
            this.uniqueViolation = uniqueViolation;
        }

        public boolean isUniqueViolation() {
            return uniqueViolation;
        }

        /** The driver's message (never sent to clients). */
        public String detail() {
            return getCause() == null ? "" : String.valueOf(getCause().getMessage());
        }
    }
}
