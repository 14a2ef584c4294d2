package io.pocketbus.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pocketbus.core.spi.ConnectionPool;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteDialectTest {
    @TempDir
    Path temp;

    private static String pragma(ConnectionPool pool, String name, boolean writer) throws SQLException {
        ConnectionPool.SqlWork<String> work = c -> {
            try (Statement st = c.createStatement(); var rs = st.executeQuery("PRAGMA " + name)) {
                rs.next();
                return rs.getString(1);
            }
        };
        return writer ? pool.withWriter(work) : pool.withReader(work);
    }

    @Test
    void configuresConnectionsLikePocketBase() throws Exception {
        try (ConnectionPool pool = SqliteDialect.create().open(temp.resolve("data.db"), 2)) {
            for (boolean writer : new boolean[] {true, false}) {
                assertThat(pragma(pool, "journal_mode", writer)).isEqualToIgnoringCase("wal");
                assertThat(pragma(pool, "foreign_keys", writer)).isEqualTo("1");
                assertThat(pragma(pool, "busy_timeout", writer)).isEqualTo("10000");
                assertThat(pragma(pool, "synchronous", writer)).isEqualTo("1");
            }
            assertThat(pragma(pool, "query_only", false)).isEqualTo("1");
            assertThat(pragma(pool, "query_only", true)).isEqualTo("0");
        }
    }

    @Test
    void readersCannotWriteAndUniqueViolationsAreRecognised() throws Exception {
        SqliteDialect dialect = SqliteDialect.create();
        try (ConnectionPool pool = dialect.open(temp.resolve("data.db"), 1)) {
            pool.withWriter(c -> c.createStatement().executeUpdate("CREATE TABLE t (v TEXT UNIQUE)"));
            assertThatThrownBy(() -> pool.withReader(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES ('x')")))
                    .isInstanceOf(SQLException.class);
            pool.withWriter(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES ('x')"));
            SQLException dup = null;
            try {
                pool.withWriter(c -> c.createStatement().executeUpdate("INSERT INTO t VALUES ('x')"));
            } catch (SQLException e) {
                dup = e;
            }
            assertThat((Object) dup).isNotNull();
            assertThat(dialect.isUniqueViolation(dup)).isTrue();
        }
    }

    @Test
    void concurrentWritersAreSerialisedAndReadersSeeCommittedData() throws Exception {
        try (ConnectionPool pool = SqliteDialect.create().open(temp.resolve("data.db"), 3);
             ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor()) {
            pool.withWriter(c -> c.createStatement().executeUpdate("CREATE TABLE n (v INTEGER)"));
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                futures.add(exec.submit(() -> {
                    start.await();
                    return pool.withWriter(c -> c.createStatement().executeUpdate("INSERT INTO n VALUES (1)"));
                }));
            }
            start.countDown();
            for (Future<Integer> f : futures) {
                assertThat(f.get()).isEqualTo(1);
            }
            int total = pool.withReader(c -> {
                var rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM n");
                rs.next();
                return rs.getInt(1);
            });
            assertThat(total).isEqualTo(16);
        }
    }
}
