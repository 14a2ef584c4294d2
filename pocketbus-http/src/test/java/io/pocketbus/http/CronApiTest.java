package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CronApiTest {
    private static final String SU = "_superusers";

    @TempDir
    Path tmp;

    @Test
    void needsASuperuser() {
        ApiScenario.of("guest").request("GET", "/api/crons").status(401).run(tmp);
        ApiScenario.of("user").request("POST", "/api/crons/__pbLogsCleanup__").auth("users", "test@example.com")
                .status(403).run(tmp);
    }

    @Test
    void listsUserJobsFirstThenSystemJobs() {
        String body = ApiScenario.of("list").request("GET", "/api/crons").auth(SU, "test@example.com")
                .before(app -> {
                    app.cron().add("zeta", "*/5 * * * *", () -> { });
                    app.cron().add("alpha", "@daily", () -> { });
                })
                .status(200).run(tmp);
        assertThat(body).isEqualTo("[{\"id\":\"alpha\",\"expression\":\"@daily\"},"
                + "{\"id\":\"zeta\",\"expression\":\"*/5 * * * *\"},"
                + "{\"id\":\"__pbDBOptimize__\",\"expression\":\"0 0 * * *\"},"
                + "{\"id\":\"__pbLogsCleanup__\",\"expression\":\"0 */6 * * *\"},"
                + "{\"id\":\"__pbMFACleanup__\",\"expression\":\"0 * * * *\"},"
                + "{\"id\":\"__pbOTPCleanup__\",\"expression\":\"0 * * * *\"}]\n");
    }

    @Test
    void runsAJobNow() {
        CountDownLatch ran = new CountDownLatch(1);
        ApiScenario.of("run").request("POST", "/api/crons/myjob").auth(SU, "test@example.com")
                .before(app -> app.cron().add("myjob", "0 0 1 1 *", ran::countDown))
                .status(204)
                .after(app -> {
                    try {
                        assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                })
                .run(tmp);
        ApiScenario.of("missing").request("POST", "/api/crons/nope").auth(SU, "test@example.com")
                .status(404).contains("\"message\":\"Missing or invalid cron job.\"").run(tmp);
    }

    @Test
    void logsCleanupDeletesExpiredLogs() {
        ApiScenario.of("cleanup").request("POST", "/api/crons/__pbLogsCleanup__").auth(SU, "test@example.com")
                .before(app -> app.auxDb().exec("INSERT INTO _logs (id, level, message, data, created, updated) "
                        + "VALUES ('oldlog000000001', 0, 'old', '{}', '2000-01-01 00:00:00.000Z', "
                        + "'2000-01-01 00:00:00.000Z')", java.util.List.of()))
                .status(204)
                .after(app -> {
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (app.logs().findById("oldlog000000001").isPresent() && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    assertThat(app.logs().findById("oldlog000000001")).isEmpty();
                })
                .run(tmp);
    }
}
