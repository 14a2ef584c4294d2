package io.pocketbus.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Local file storage in PocketBase's layout: {@code <root>/<collectionId>/<recordId>/<filename>}. */
public final class FileStorage {
    private final Path root;

    FileStorage(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The directory holding a record's files (may not exist). */
    public Path recordDir(Record record) {
        return root.resolve(record.collection().id()).resolve(record.id());
    }

    /** Removes a record's files and thumbs; a missing directory is fine. */
    public void deleteRecordDir(Record record) {
        deleteTree(recordDir(record));
    }

    static void deleteTree(Path dir) {
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
