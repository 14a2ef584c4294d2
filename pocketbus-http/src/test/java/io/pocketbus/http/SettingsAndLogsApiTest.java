package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.LogEntry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsAndLogsApiTest {
    private static final String SU = "_superusers";

    @TempDir
    Path tmp;

    @Test
    void settingsNeedASuperuser() {
        ApiScenario.of("guest").request("GET", "/api/settings").status(401)
                .contains("The request requires valid record authorization token.").run(tmp);
        ApiScenario.of("user").request("GET", "/api/settings").auth("users", "test@example.com").status(403)
                .contains("The authorized record is not allowed to perform this action.").run(tmp);
    }

    @Test
    void viewAndPatchSettingsWithoutSecrets() {
        ApiScenario.of("view").request("GET", "/api/settings").auth(SU, "test@example.com").status(200)
                .contains("\"appName\":\"acme_test\"", "\"batch\":{\"enabled\":true").run(tmp);
        ApiScenario.of("patch").request("PATCH", "/api/settings").auth(SU, "test@example.com")
                .before(app -> {
                    var settings = app.settings();
                    settings.merge(Json.tree(Map.of("smtp", Map.of("password", "secret-pass"))));
                    app.saveSettings(settings);
                })
                .json("{\"meta\":{\"appName\":\"renamed\"}}").status(200)
                .contains("\"appName\":\"renamed\"").notContains("secret-pass")
                .after(app -> assertThat(app.settings().appName()).isEqualTo("renamed")).run(tmp);
        ApiScenario.of("invalid patch").request("PATCH", "/api/settings").auth(SU, "test@example.com")
                .json("{\"meta\":{\"appName\":\"\"}}").status(400)
                .contains("An error occurred while submitting the form.")
                .after(app -> assertThat(app.settings().appName()).isEqualTo("acme_test")).run(tmp);
    }

    @Test
    void batchCanBeDisabled() {
        ApiScenario.of("disabled batch").request("POST", "/api/batch")
                .before(app -> {
                    var settings = app.settings();
                    settings.merge(Json.tree(Map.of("batch", Map.of("enabled", false))));
                    app.saveSettings(settings);
                })
                .json("{\"requests\":[]}").status(403).contains("Batch requests are not allowed.").run(tmp);
    }

    @Test
    void logsListViewStatsAndTruncate() {
        String[] id = new String[1];
        ApiScenario.of("list").request("GET", "/api/logs?filter=message~%27hello%27&sort=-created")
                .auth(SU, "test@example.com")
                .before(app -> id[0] = app.logs().write(LogEntry.WARN, "hello there", Map.of("a", 1)).orElseThrow().id())
                .status(200).contains("\"message\":\"hello there\"", "\"level\":4", "\"totalItems\":1").run(tmp);
        ApiScenario.of("stats").request("GET", "/api/logs/stats").auth(SU, "test@example.com")
                .before(app -> app.logs().write(LogEntry.INFO, "x", Map.of())).status(200)
                .contains("\"date\":", "\"total\":").run(tmp);
        ApiScenario.of("view missing").request("GET", "/api/logs/missing").auth(SU, "test@example.com")
                .status(404).run(tmp);
        ApiScenario.of("truncate").request("DELETE", "/api/logs").auth(SU, "test@example.com")
                .before(app -> app.logs().write(LogEntry.INFO, "x", Map.of())).status(204)
                .after(app -> assertThat(app.logs().count("message = ?", java.util.List.of("x"))).isZero()).run(tmp);
    }

    @Test
    void requestsAreLogged() {
        ApiScenario.of("logged request").request("GET", "/api/collections/demo2/records?x=1")
                .header("User-Agent", "scenario-agent").status(200)
                .after(app -> {
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (app.logs().count("message = ?", java.util.List.of(
                            "GET /api/collections/demo2/records?x=1")) == 0 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    var logs = app.logs().list("message = ?", java.util.List.of(
                            "GET /api/collections/demo2/records?x=1"), 1, 0);
                    assertThat(logs).hasSize(1);
                    assertThat(logs.getFirst().data()).containsEntry("status", 200)
                            .containsEntry("userAgent", "scenario-agent").containsEntry("type", "request");
                })
                .run(tmp);
    }

    @Test
    void superuserIpWhitelist() {
        ApiScenario.of("superuser outside the whitelist").request("GET", "/api/settings")
                .auth(SU, "test@example.com")
                .before(app -> {
                    var settings = app.settings();
                    settings.merge(Json.tree(Map.of("superuserIPs", java.util.List.of("10.0.0.0/8"))));
                    app.saveSettings(settings);
                })
                .status(403).contains("\"message\":\"You are not allowed to perform this request.\"").run(tmp);
        ApiScenario.of("superuser login outside the whitelist")
                .request("POST", "/api/collections/_superusers/auth-with-password")
                .before(app -> {
                    var settings = app.settings();
                    settings.merge(Json.tree(Map.of("superuserIPs", java.util.List.of("10.0.0.0/8"))));
                    app.saveSettings(settings);
                })
                .json("{\"identity\":\"test@example.com\",\"password\":\"1234567890\"}").status(403).run(tmp);
        ApiScenario.of("superuser inside the whitelist").request("GET", "/api/settings")
                .auth(SU, "test@example.com")
                .before(app -> {
                    var settings = app.settings();
                    settings.merge(Json.tree(Map.of("superuserIPs", java.util.List.of("127.0.0.0/8", "::1"))));
                    app.saveSettings(settings);
                })
                .status(200).run(tmp);
    }
}
