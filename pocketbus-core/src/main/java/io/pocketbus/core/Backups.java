package io.pocketbus.core;

import io.pocketbus.tools.security.RandomStrings;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * PocketBase's backups: zips of the data directory in {@code <dataDir>/backups}. A backup is consistent while
 * the app runs — each database is copied with SQLite's {@code VACUUM INTO} (a transactionally consistent
 * snapshot), the other files as they are. A restore unpacks a zip next to the data, then swaps it in while the
 * app's databases are closed ({@link App#restart}); the files it replaced are removed afterwards. When the
 * settings keep file fields in the Object Store, its bucket goes into the zip's {@code objectstore/} in the
 * data directory's storage layout (with {@code .attrs} sidecars), and a restore puts it back into the bucket.
 */
public final class Backups {
    /** PocketBase's backup name rule. */
    public static final Pattern NAME = Pattern.compile("^[a-z0-9_-]+\\.zip$");
    static final String BACKUPS_DIR = "backups";
    static final String TEMP_DIR = ".pb_temp_to_delete";
    /** Where a backup keeps the Object Store bucket's files. */
    static final String OBJECT_STORE_DIR = "objectstore";
    /**
     * The embedded broker's JetStream store (the distribution keeps it there): its live files belong to the
     * running broker, so backups neither copy nor replace them; the Object Store bucket goes in {@code objectstore/}.
     */
    static final String JETSTREAM_DIR = "jetstream";
    private static final Set<String> DATABASES = Set.of("data.db", "auxiliary.db");
    private static final DateTimeFormatter DEFAULT_NAME = DateTimeFormatter.ofPattern("yyyyMMddHHmmss")
            .withZone(ZoneOffset.UTC);

    /** One stored backup, as listed by {@code GET /api/backups}. */
    public record Backup(String key, long size, Instant modified) { }

    private final App app;
    private final ReentrantLock busy = new ReentrantLock();

    public Backups(App app) {
        this.app = app;
    }

    private Path dir() {
        return app.dataDir().resolve(BACKUPS_DIR);
    }

    /** PocketBase's default name: {@code pb_backup_<UTC yyyyMMddHHmmss>.zip}. */
    public static String defaultName() {
        return "pb_backup_" + DEFAULT_NAME.format(Instant.now()) + ".zip";
    }

    /** The path of a backup; {@code key} must match {@link #NAME}. */
    public Path path(String key) {
        if (!NAME.matcher(key).matches()) {
            throw ApiError.badRequest("Invalid backup name.");
        }
        return dir().resolve(key);
    }

    public Optional<Backup> find(String key) {
        if (!NAME.matcher(key).matches()) {
            return Optional.empty();
        }
        Path p = dir().resolve(key);
        try {
            return Files.isRegularFile(p) ? Optional.of(new Backup(key, Files.size(p),
                    Files.getLastModifiedTime(p).toInstant())) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every backup, newest first. */
    public List<Backup> list() {
        if (!Files.isDirectory(dir())) {
            return List.of();
        }
        List<Backup> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir())) {
            for (Path p : files) {
                find(p.getFileName().toString()).ifPresent(out::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(Comparator.comparing(Backup::modified).reversed().thenComparing(Backup::key));
        return out;
    }

    /** Creates backup {@code name}; a 400 when the name is taken or another backup/restore runs. */
    public void create(String name) {
        Path target = path(name);
        runExclusive(() -> {
            if (Files.exists(target)) {
                throw nameExists();
            }
            Path work = tempDir("backup_");
            try {
                app.db().exec("VACUUM INTO ?", List.of(work.resolve("data.db").toString()));
                app.auxDb().exec("VACUUM INTO ?", List.of(work.resolve("auxiliary.db").toString()));
                Path zip = work.resolve("backup.zip");
                try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
                    for (String db : List.of("data.db", "auxiliary.db")) {
                        addFile(out, work.resolve(db), db);
                    }
                    addTree(out, app.dataDir());
                    if (app.currentSettings().objectStoreEnabled()) {
                        Path exported = work.resolve(OBJECT_STORE_DIR);
                        copyFiles(app.files(), new LocalFileStorage(exported));
                        addTree(out, work, exported);
                    }
                }
                Files.createDirectories(dir());
                Files.move(zip, target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                deleteTree(work);
            }
        });
    }

    /** Stores an uploaded zip as backup {@code name}. */
    public void upload(String name, byte[] zip) {
        Path target = path(name);
        runExclusive(() -> {
            if (Files.exists(target)) {
                throw nameExists();
            }
            try {
                Files.createDirectories(dir());
                Path tmp = Files.createTempFile(dir(), ".upload_", ".tmp");
                Files.write(tmp, zip);
                Files.move(tmp, target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    public void delete(String key) {
        Path p = path(key);
        runExclusive(() -> {
            try {
                if (!Files.deleteIfExists(p)) {
                    throw ApiError.notFound("");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Replaces the data directory's content (all but {@code backups/}) with the backup's and reopens the app.
     * The zip must hold a {@code data.db}; entries leading outside the directory are refused.
     */
    public void restore(String key) {
        Path zip = path(key);
        if (!Files.isRegularFile(zip)) {
            throw ApiError.notFound("");
        }
        runExclusive(() -> {
            Path extracted = tempDir("restore_");
            Path old = tempDir("old_");
            try {
                extract(zip, extracted);
                if (!Files.isRegularFile(extracted.resolve("data.db"))) {
                    throw ApiError.badRequest("Missing data.db in the backup.");
                }
                app.restart(() -> swapIn(extracted, old));
                restoreObjectStore();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                deleteTree(extracted);
                deleteTree(old);
            }
        });
    }

    /**
     * Replaces the bucket's files with the restored {@code objectstore/} when the restored settings use the
     * Object Store, then drops that folder: it is the bucket's copy, not part of the data directory.
     */
    private void restoreObjectStore() throws IOException {
        Path restored = app.dataDir().resolve(OBJECT_STORE_DIR);
        if (!Files.isDirectory(restored)) {
            return;
        }
        try {
            if (app.currentSettings().objectStoreEnabled()) {
                FileStorage bucket = app.files();
                bucket.listAll().forEach(bucket::delete);
                copyFiles(new LocalFileStorage(restored), bucket);
            }
        } finally {
            deleteTree(restored);
        }
    }

    private static void copyFiles(FileStorage from, FileStorage to) {
        for (String key : from.listAll()) {
            String type = from.attributes(key).map(FileStorage.Attributes::contentType).orElse("");
            to.write(key, from.read(key), type, Optional.empty());
        }
    }

    /** Moves the current entries to {@code old}, then the extracted ones in; puts the old ones back on failure. */
    private void swapIn(Path extracted, Path old) {
        Path data = app.dataDir();
        List<String> moved = new ArrayList<>();
        try {
            for (Path p : entries(data)) {
                Files.move(p, old.resolve(p.getFileName().toString()));
                moved.add(p.getFileName().toString());
            }
            for (Path p : entries(extracted)) {
                Files.move(p, data.resolve(p.getFileName().toString()));
            }
        } catch (IOException e) {
            try {
                for (Path p : entries(data)) {
                    deleteTree(p);
                }
                for (String name : moved) {
                    Files.move(old.resolve(name), data.resolve(name));
                }
            } catch (IOException restoreError) {
                e.addSuppressed(restoreError);
            }
            throw new UncheckedIOException(e);
        }
    }

    /** The entries of a data directory that a backup covers: all but the backups and temp folders. */
    private static List<Path> entries(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path p : files) {
                String name = p.getFileName().toString();
                if (!name.equals(BACKUPS_DIR) && !name.equals(TEMP_DIR) && !name.equals(JETSTREAM_DIR)
                        && !name.equals("lost+found")) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static void extract(Path zip, Path target) throws IOException {
        Path root = target.toAbsolutePath().normalize();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path dest = root.resolve(entry.getName()).normalize();
                if (!dest.startsWith(root) || dest.equals(root)) {
                    throw ApiError.badRequest("Invalid backup entry " + entry.getName() + ".");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    try (OutputStream out = Files.newOutputStream(dest)) {
                        in.transferTo(out);
                    }
                }
            }
        } catch (java.util.zip.ZipException e) {
            throw new ApiError(400, "Invalid backup archive.", java.util.Map.of(), e);
        }
    }

    /** The data directory's entries but its databases (added from their snapshots) and a stale objectstore/. */
    private void addTree(ZipOutputStream out, Path data) throws IOException {
        for (Path top : entries(data)) {
            String name = top.getFileName().toString();
            boolean database = DATABASES.stream().anyMatch(db -> name.equals(db) || name.startsWith(db + "-"));
            if (!database && !name.equals(OBJECT_STORE_DIR)) {
                addTree(out, data, top);
            }
        }
    }

    /** Adds the files under {@code top}, named by their path relative to {@code base}. */
    private static void addTree(ZipOutputStream out, Path base, Path top) throws IOException {
        try (Stream<Path> walk = Files.walk(top)) {
            for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                addFile(out, p, base.relativize(p).toString().replace('\\', '/'));
            }
        }
    }

    private static void addFile(ZipOutputStream out, Path file, String name) throws IOException {
        ZipEntry entry = new ZipEntry(name);
        entry.setLastModifiedTime(Files.getLastModifiedTime(file));
        out.putNextEntry(entry);
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
        out.closeEntry();
    }

    private void runExclusive(Runnable action) {
        if (!busy.tryLock()) {
            throw ApiError.badRequest("Try again later - another backup/restore operation has already been started.");
        }
        try {
            action.run();
        } finally {
            busy.unlock();
        }
    }

    private static ApiError nameExists() {
        return ApiError.badRequest("An error occurred while validating the submitted data.", java.util.Map.of("name",
                ValidationError.of("validation_backup_name_exists", "The backup file name is already in use.")));
    }

    private Path tempDir(String prefix) {
        try {
            Path base = app.dataDir().resolve(TEMP_DIR);
            Files.createDirectories(base);
            return Files.createDirectory(base.resolve(prefix + RandomStrings.random(10, RandomStrings.ID_ALPHABET)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
