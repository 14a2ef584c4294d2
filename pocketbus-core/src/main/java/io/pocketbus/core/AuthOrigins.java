package io.pocketbus.core;

import java.util.List;
import java.util.Optional;

/** Known login origins (IP + user agent fingerprints) in PocketBase's {@code _authOrigins} collection. */
public final class AuthOrigins {
    public static final String COLLECTION = "_authOrigins";

    private AuthOrigins() {
    }

    public static List<Record> findAllByRecord(App app, Record authRecord) {
        return AuthRecordRefs.findAllByRecord(app, COLLECTION, authRecord);
    }

    public static Optional<Record> findByFingerprint(App app, Record authRecord, String fingerprint) {
        return findAllByRecord(app, authRecord).stream()
                .filter(o -> o.getString("fingerprint").equals(fingerprint)).findFirst();
    }

    /** Remembers the fingerprint, or touches its {@code updated} time when it is already known. */
    public static Record remember(App app, Record authRecord, String fingerprint) {
        Record origin = findByFingerprint(app, authRecord, fingerprint).orElseGet(() -> {
            Record o = AuthRecordRefs.newRef(app, COLLECTION, authRecord);
            o.set("fingerprint", fingerprint);
            return o;
        });
        app.save(origin);
        return origin;
    }

    public static void deleteAllByRecord(App app, Record authRecord) {
        AuthRecordRefs.deleteAllByRecord(app, COLLECTION, authRecord);
    }
}
