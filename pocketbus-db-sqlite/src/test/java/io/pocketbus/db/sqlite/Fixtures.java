package io.pocketbus.db.sqlite;

import io.pocketbus.core.App;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Apps over temp copies of the PocketBase-made fixture (the original is never written). */
final class Fixtures {
    static final Path PB_FIXTURE = Path.of(System.getProperty("pocketbus.shared", "../../shared"), "fixtures", "pocketbase-v0.39-testdata");

    private Fixtures() {
    }

    static App fixtureApp(Path tempDir) {
        Path dir = tempDir.resolve("pb_data");
        copy(PB_FIXTURE, dir);
        App app = App.builder().dataDir(dir).dialect(SqliteDialect.create()).readers(2).build();
        app.bootstrap();
        return app;
    }

    static App emptyApp(Path tempDir) {
        App app = App.builder().dataDir(tempDir.resolve("pb_data")).dialect(SqliteDialect.create()).readers(2).build();
        app.bootstrap();
        return app;
    }

    private static void copy(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path rel = from.relativize(p);
                if (rel.toString().startsWith("lost+found")) {
                    continue;
                }
                Path target = to.resolve(rel.toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
