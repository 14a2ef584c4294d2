package io.pocketbus.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The file side of a record save, as PocketBase's file field interceptor: new uploads are written before
 * the row (so a failed write fails the save) and removed again if the save or its transaction fails; files
 * replaced or removed from a field are deleted, with their thumbs, only after the transaction commits.
 */
final class RecordFiles {
    private static final System.Logger LOG = System.getLogger(RecordFiles.class.getName());

    private RecordFiles() {
    }

    /** Runs {@code writeRow} with the record's new files stored around it. */
    static void save(App app, Record record, Runnable writeRow) {
        List<String> written = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (Field f : record.collection().fields()) {
            if (!(f instanceof FileField ff)) {
                continue;
            }
            List<String> names = record.getStringList(ff.name());
            if (!record.isNew()) {
                MultiValues.toList(record.original(ff.name())).stream().filter(n -> !names.contains(n))
                        .forEach(removed::add);
            }
        }
        Record target = record.copy();
        try {
            for (Field f : record.collection().fields()) {
                if (f instanceof FileField ff) {
                    List<String> names = record.getStringList(ff.name());
                    for (FileUpload upload : record.uploads(ff.name())) {
                        if (names.contains(upload.storedName())) {
                            String key = FileStorage.fileKey(record, upload.storedName());
                            written.add(key);
                            app.files().write(key, upload.content(), upload.contentType(),
                                    java.util.Optional.of(upload.originalName()));
                        }
                    }
                }
            }
            writeRow.run();
        } catch (RuntimeException e) {
            deleteQuietly(app, written, List.of());
            throw e;
        }
        app.db().onRollback(() -> deleteQuietly(app, written, List.of()));
        app.db().onCommit(() -> deleteQuietly(app, List.of(), removed.stream()
                .filter(n -> isSafeName(n)).map(n -> FileStorage.fileKey(target, n)).toList()));
    }

    /** Removes every file of a record (after its delete committed). */
    static void deleteAll(App app, Record record) {
        try {
            app.files().deletePrefix(FileStorage.recordPrefix(record));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "Failed to delete the files of a deleted record", e);
        }
    }

    private static boolean isSafeName(String name) {
        return !name.isEmpty() && !name.contains("/") && !name.equals(".") && !name.equals("..");
    }

    /** Deletes {@code files} and, for {@code withThumbs}, each file and its thumbs; failures are logged only. */
    private static void deleteQuietly(App app, List<String> files, List<String> withThumbs) {
        List<String> all = new ArrayList<>(files);
        all.addAll(withThumbs);
        for (String key : all) {
            try {
                app.files().delete(key);
                if (withThumbs.contains(key)) {
                    int slash = key.lastIndexOf('/');
                    app.files().deletePrefix(key.substring(0, slash + 1) + "thumbs_" + key.substring(slash + 1));
                }
            } catch (RuntimeException e) {
                // a stray file must not fail a save that already succeeded (PocketBase logs it the same way)
                LOG.log(System.Logger.Level.WARNING, "Failed to delete file " + key, e);
            }
        }
    }
}
