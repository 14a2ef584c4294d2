package io.pocketbus.core;

/**
 * PocketBase's system cron jobs (ids prefixed {@code __pb}, listed after the user's jobs by the API). Each job
 * does nothing while the app is not bootstrapped.
 */
final class SystemCronJobs {
    /** Deletes request logs older than {@code settings.logs.maxDays}, every 6 hours. */
    static final String LOGS_CLEANUP = "__pbLogsCleanup__";
    /** Checkpoints the WAL and lets SQLite refresh its planner statistics, daily. */
    static final String DB_OPTIMIZE = "__pbDBOptimize__";

    private SystemCronJobs() {
    }

    static void register(App app) {
        app.cron().add(LOGS_CLEANUP, "0 */6 * * *", () -> {
            if (app.isBootstrapped()) {
                app.logs().deleteExpired();
            }
        });
        app.cron().add(DB_OPTIMIZE, "0 0 * * *", () -> {
            if (app.isBootstrapped()) {
                for (Db db : new Db[] {app.db(), app.auxDb()}) {
                    db.write(c -> {
                        try (java.sql.Statement st = c.createStatement()) {
                            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                            st.execute("PRAGMA optimize");
                        }
                        return null;
                    });
                }
            }
        });
    }
}
