package io.pocketbus;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SuperuserCommandTest {
    private static final Path FIXTURE = Path.of(System.getProperty("pocketbus.shared", "../../shared"), "fixtures", "pocketbase-v0.39-testdata");

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return PocketbusCli.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(args);
    }

    private Optional<Record> superuser(Path data, String email) {
        App app = Pocketbus.newApp(data);
        app.bootstrap();
        try {
            Collection superusers = app.findCollectionByNameOrId(Collection.SUPERUSERS).orElseThrow();
            return app.findRecordsByField(superusers, "email", email).stream().findFirst();
        } finally {
            app.close();
        }
    }

    static void copyFixture(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(FIXTURE)) {
            for (Path source : files.toList()) {
                Path relative = FIXTURE.relativize(source);
                String name = source.getFileName().toString();
                if (relative.startsWith("lost+found") || name.endsWith("-wal") || name.endsWith("-shm")) {
                    continue;
                }
                Path destination = target.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination);
                }
            }
        }
    }

    @Test
    void upsertCreatesThenUpdatesASuperuser() {
        Path data = dir.resolve("pb_data");
        assertThat(run("superuser", "upsert", "admin@example.com", "1234567890", "--dir", data.toString())).isZero();
        assertThat(out.toString()).contains("Successfully saved superuser \"admin@example.com\"!");
        Record created = superuser(data, "admin@example.com").orElseThrow();
        assertThat(created.validatePassword("1234567890")).isTrue();

        assertThat(run("superuser", "upsert", "admin@example.com", "0987654321", "--dir", data.toString())).isZero();
        Record updated = superuser(data, "admin@example.com").orElseThrow();
        assertThat(updated.id()).isEqualTo(created.id());
        assertThat(updated.validatePassword("0987654321")).isTrue();
        assertThat(updated.tokenKey()).isNotEqualTo(created.tokenKey());
    }

    @Test
    void createUpdateAndDeleteOnAPocketBaseDataDir() throws IOException {
        Path data = dir.resolve("fixture");
        copyFixture(data);

        assertThat(run("superuser", "update", "test@example.com", "new-password-1", "--dir", data.toString()))
                .isZero();
        assertThat(out.toString()).contains("Successfully changed superuser \"test@example.com\" password!");
        assertThat(superuser(data, "test@example.com").orElseThrow().validatePassword("new-password-1")).isTrue();

        assertThat(run("superuser", "create", "test2@example.com", "1234567890", "--dir", data.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("failed to create new superuser account:", "validation_not_unique");

        assertThat(run("superuser", "update", "nobody@example.com", "1234567890", "--dir", data.toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("superuser with email \"nobody@example.com\" doesn't exist");

        assertThat(run("superuser", "delete", "test3@example.com", "--dir", data.toString())).isZero();
        assertThat(out.toString()).contains("Successfully deleted superuser \"test3@example.com\"!");
        assertThat(superuser(data, "test3@example.com")).isEmpty();
        assertThat(superuser(data, "test4@example.com")).isPresent();
    }

    @Test
    void rejectsAnInvalidEmail() {
        assertThat(run("superuser", "create", "not-an-email", "1234567890", "--dir", dir.toString()))
                .isNotZero();
        assertThat(err.toString()).contains("missing or invalid email address");
        assertThat(List.of(dir.toFile().list())).isEmpty();
    }
}
