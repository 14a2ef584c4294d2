package io.pocketbus.core;

import com.fasterxml.jackson.core.type.TypeReference;
import io.pocketbus.tools.security.RandomStrings;
import io.pocketbus.tools.types.DateTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

/** The request/app logs in auxiliary.db {@code _logs}. */
public final class Logs {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private static final String INSERT =
            "INSERT INTO `_logs` (id, level, message, data, created, updated) VALUES (?, ?, ?, ?, ?, ?)";

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Logs.class);

    private final App app;
    /** PocketBase's batching of logs: written when 200 are pending, or 3 seconds after a first one was queued. */
    private static final int BATCH_SIZE = 200;
    private static final Duration BATCH_DELAY = Duration.ofSeconds(3);

    private final ConcurrentLinkedQueue<Queued> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger pendingCount = new AtomicInteger();
    private final AtomicBoolean delayedFlush = new AtomicBoolean();
    private final ReentrantLock flushing = new ReentrantLock();

    Logs(App app) {
        this.app = app;
    }

    /**
     * Writes a log entry when its level reaches the settings' {@code logs.minLevel} and logs are kept
     * ({@code maxDays > 0}); returns the stored entry, if written.
     */
    public Optional<LogEntry> write(int level, String message, Map<String, Object> data) {
        Settings s = app.currentSettings();
        if (s.logsMaxDays() <= 0 || level < s.logsMinLevel()) {
            return Optional.empty();
        }
        LogEntry entry = new LogEntry(RandomStrings.id(), DateTime.now().toString(), level, message, data);
        insert(entry);
        return Optional.of(entry);
    }

    /**
     * Queues a log entry (same level and settings checks as {@link #write}) and returns at once. Queued entries
     * are written as PocketBase writes its logs: in batches, each in one auxiliary.db transaction, on a
     * background virtual thread, when {@value #BATCH_SIZE} are pending or 3 seconds after the first of a batch
     * was queued; whatever is pending when the app closes is written then. Each row costs several index
     * updates, so large batches share the pages they touch instead of each request paying its own commit.
     * {@code data} is read when the batch is written: the caller hands it over and must not change it.
     */
    public void writeLater(int level, String message, Map<String, Object> data) {
        Settings s = app.currentSettings();
        if (s.logsMaxDays() <= 0 || level < s.logsMinLevel()) {
            return;
        }
        pending.add(new Queued(DateTime.now(), level, message, data));
        if (pendingCount.incrementAndGet() % BATCH_SIZE == 0) {
            Thread.ofVirtual().name("pocketbus-log-flush").start(this::writePending);
        } else if (delayedFlush.compareAndSet(false, true)) {
            Thread.ofVirtual().name("pocketbus-log-flush").start(() -> {
                try {
                    Thread.sleep(BATCH_DELAY);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                delayedFlush.set(false);
                writePending();
            });
        }
    }

    /** Writes every queued entry now, in one transaction; nothing while the app is not bootstrapped. */
    void writePending() {
        flushing.lock();
        try {
            if (!app.isBootstrapped() || pending.isEmpty()) {
                return;
            }
            List<List<Object>> rows = new ArrayList<>();
            Queued queued;
            while ((queued = pending.poll()) != null) {
                pendingCount.decrementAndGet();
                rows.add(insertParams(queued.entry()));
            }
            try {
                app.auxDb().inTransaction(() -> {
                    app.auxDb().execEach(INSERT, rows);
                    return null;
                });
            } catch (RuntimeException e) {
                // dropped: logging must never fail or block a request
                LOG.warn("{} log entries not written: {}", rows.size(), e.getMessage());
            }
        } finally {
            flushing.unlock();
        }
    }

    /**
     * A request's log as queued: its time is taken then; the id, the sorted data and its JSON are made when the
     * batch is written (as PocketBase does), off the request's thread.
     */
    private record Queued(DateTime created, int level, String message, Map<String, Object> data) {
        LogEntry entry() {
            return new LogEntry(RandomStrings.id(), created.toString(), level, message, data);
        }
    }

    private void insert(LogEntry entry) {
        app.auxDb().exec(INSERT, insertParams(entry));
    }

    private static List<Object> insertParams(LogEntry entry) {
        return List.of(entry.id(), entry.level(), entry.message(), SchemaSql.json(entry.data()), entry.created(),
                entry.created());
    }

    public Optional<LogEntry> findById(String id) {
        return app.auxDb().queryOne("SELECT id, created, level, message, data FROM `_logs` WHERE id = ?", List.of(id),
                Logs::map);
    }

    /**
     * A page of logs, newest first, optionally narrowed by an SQL condition with {@code ?} parameters
     * (e.g. compiled from a filter by the caller).
     */
    public List<LogEntry> list(String where, List<?> params, int limit, int offset) {
        String sql = "SELECT id, created, level, message, data FROM `_logs`" + (where.isBlank() ? "" : " WHERE " + where)
                + " ORDER BY created DESC, rowid DESC LIMIT ? OFFSET ?";
        List<Object> all = new ArrayList<>(params);
        all.add(limit);
        all.add(offset);
        return app.auxDb().query(sql, all, Logs::map);
    }

    public long count(String where, List<?> params) {
        return app.auxDb().queryOne("SELECT COUNT(*) FROM `_logs`" + (where.isBlank() ? "" : " WHERE " + where),
                params, rs -> rs.getLong(1)).orElse(0L);
    }

    /** Hourly totals {@code [{"date":"YYYY-MM-DD HH:00:00.000Z","total":N}]}, oldest first. */
    public List<Map<String, Object>> stats(String where, List<?> params) {
        return app.auxDb().query("SELECT strftime('%Y-%m-%d %H:00:00.000Z', created) AS date, COUNT(*) AS total FROM `_logs`"
                + (where.isBlank() ? "" : " WHERE " + where) + " GROUP BY date ORDER BY date", params, rs -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("date", rs.getString(1));
                    m.put("total", rs.getLong(2));
                    return m;
                });
    }

    /** Deletes logs older than the settings' {@code maxDays}; returns how many. */
    public int deleteExpired() {
        String cutoff = DateTime.now().plusSeconds(-86_400L * Math.max(app.currentSettings().logsMaxDays(), 0)).toString();
        return app.auxDb().exec("DELETE FROM `_logs` WHERE created < ?", List.of(cutoff));
    }

    /** Deletes every log (PocketBase v0.40's {@code DELETE /api/logs}). */
    public void truncate() {
        app.auxDb().exec("DELETE FROM `_logs`", List.of());
    }

    private static LogEntry map(java.sql.ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> data;
        try {
            data = Field.MAPPER.readValue(rs.getString("data"), MAP);
        } catch (java.io.IOException e) {
            data = Map.of();
        }
        return new LogEntry(rs.getString("id"), rs.getString("created"), rs.getInt("level"), rs.getString("message"),
                data == null ? Map.of() : data);
    }
}
