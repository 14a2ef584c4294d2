package io.pocketbus.core;

import io.pocketbus.tools.types.DateTime;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Shared access to the system collections whose rows point at an auth record through
 * {@code collectionRef} + {@code recordRef} ({@code _otps}, {@code _mfas}, {@code _authOrigins},
 * {@code _externalAuths}).
 */
final class AuthRecordRefs {
    private AuthRecordRefs() {
    }

    static Collection collection(App app, String name) {
        return app.findCollectionByNameOrId(name)
                .orElseThrow(() -> new IllegalStateException("missing system collection " + name));
    }

    static Record newRef(App app, String collectionName, Record authRecord) {
        Record r = new Record(collection(app, collectionName));
        r.set("collectionRef", authRecord.collection().id());
        r.set("recordRef", authRecord.id());
        return r;
    }

    static Optional<Record> findById(App app, String collectionName, String id) {
        return id.isEmpty() ? Optional.empty() : app.findRecordById(collection(app, collectionName), id);
    }

    /** The rows of {@code authRecord}, newest first. */
    static List<Record> findAllByRecord(App app, String collectionName, Record authRecord) {
        Collection c = collection(app, collectionName);
        return app.findRecordsBySql(c, "SELECT * FROM " + SchemaSql.quote(c.tableName())
                        + " WHERE collectionRef = ? AND recordRef = ? ORDER BY created DESC, id DESC",
                List.of(authRecord.collection().id(), authRecord.id()));
    }

    static void deleteAllByRecord(App app, String collectionName, Record authRecord) {
        for (Record r : findAllByRecord(app, collectionName, authRecord)) {
            app.delete(r);
        }
    }

    /**
     * Deletes, for every auth collection, the rows created longer than its {@code maxAge} ago (also while
     * the method is switched off, so no stale rows outlive it); each through {@link App#delete(Record)}, so
     * the delete hooks run as for any record.
     */
    static void deleteExpired(App app, String collectionName, Function<Collection, Duration> maxAge) {
        Collection c = collection(app, collectionName);
        for (Collection auth : app.collections()) {
            if (!auth.isAuth()) {
                continue;
            }
            DateTime oldestValid = DateTime.now().plusSeconds(-maxAge.apply(auth).toSeconds());
            List<Record> expired = app.findRecordsBySql(c, "SELECT * FROM " + SchemaSql.quote(c.tableName())
                    + " WHERE collectionRef = ? AND created < ?", List.of(auth.id(), oldestValid.toString()));
            for (Record r : expired) {
                app.delete(r);
            }
        }
    }

    /** True when more than {@code maxAge} has passed since the row was created. */
    static boolean hasExpired(Record ref, Duration maxAge) {
        DateTime created = ref.getDateTime("created").orElse(new DateTime(java.time.Instant.EPOCH));
        return created.plusSeconds(maxAge.toSeconds()).isBefore(DateTime.now());
    }
}
