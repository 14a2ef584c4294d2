package io.pocketbus.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.LogEntry;
import io.pocketbus.core.Settings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsAndLogsTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void fixtureSettingsLoadAndSecretsAreBlanked() throws Exception {
        try (App app = Fixtures.fixtureApp(temp)) {
            Settings s = app.settings();
            assertThat(s.appName()).isEqualTo("acme_test");
            assertThat(s.batchEnabled()).isTrue();
            assertThat(s.toPublicJson().fieldNames()).toIterable().containsExactly("superuserIPs", "smtp", "backups",
                    "s3", "meta", "rateLimits", "trustedProxy", "batch", "logs");

            s.merge(MAPPER.readTree("{\"smtp\":{\"password\":\"hunter2\"},\"s3\":{\"secret\":\"s3cret\"},\"meta\":{\"appName\":\"renamed\"}}"));
            app.saveSettings(s);
            assertThat(app.settings().appName()).isEqualTo("renamed");
            String publicJson = app.settings().toPublicJson().toString();
            assertThat(publicJson).doesNotContain("hunter2").doesNotContain("s3cret").doesNotContain("\"password\"");
            assertThat(app.settings().toJson().toString()).contains("hunter2");

            Settings bad = app.settings();
            bad.merge(MAPPER.readTree("{\"meta\":{\"appName\":\"\",\"appURL\":\"not a url\"}}"));
            assertThatThrownBy(() -> app.saveSettings(bad)).isInstanceOfSatisfying(ApiError.class,
                    e -> assertThat(e.data()).containsKey("meta"));
        }
        try (App again = App.builder().dataDir(temp.resolve("pb_data")).dialect(SqliteDialect.create()).build()) {
            again.bootstrap();
            assertThat(again.settings().appName()).isEqualTo("renamed");
        }
    }

    @Test
    void logsAreWrittenListedAndCounted() {
        try (App app = Fixtures.emptyApp(temp)) {
            app.logs().write(LogEntry.INFO, "GET /api/health", Map.of("status", 200, "method", "GET"));
            LogEntry error = app.logs().write(LogEntry.ERROR, "POST /api/x", Map.of("status", 500)).orElseThrow();
            assertThat(app.logs().count("", List.of())).isEqualTo(2);
            assertThat(app.logs().list("level >= ?", List.of(LogEntry.WARN), 10, 0)).extracting(LogEntry::id)
                    .containsExactly(error.id());
            assertThat(app.logs().findById(error.id()).orElseThrow().data()).containsEntry("status", 500);
            assertThat(error.toMap().keySet()).containsExactly("id", "created", "data", "message", "level");
            assertThat(app.logs().stats("", List.of())).hasSize(1).first().satisfies(m -> assertThat(m).containsEntry("total", 2L));
            app.logs().truncate();
            assertThat(app.logs().count("", List.of())).isZero();
        }
    }
}
