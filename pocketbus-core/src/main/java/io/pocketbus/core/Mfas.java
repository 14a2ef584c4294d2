package io.pocketbus.core;

import java.time.Duration;
import java.util.Optional;

/**
 * MFA sessions in PocketBase's {@code _mfas} collection: proof that an auth record passed one auth method
 * ({@code method}), waiting for a second, different one within the collection's {@code mfa.duration}.
 */
public final class Mfas {
    public static final String COLLECTION = "_mfas";

    private Mfas() {
    }

    public static Record create(App app, Record authRecord, String method) {
        Record mfa = AuthRecordRefs.newRef(app, COLLECTION, authRecord);
        mfa.set("method", method);
        app.save(mfa);
        return mfa;
    }

    public static Optional<Record> findById(App app, String id) {
        return AuthRecordRefs.findById(app, COLLECTION, id);
    }

    /** Removes the MFA sessions older than their collection's {@code mfa.duration} (PocketBase's hourly job). */
    public static void deleteExpired(App app) {
        AuthRecordRefs.deleteExpired(app, COLLECTION, Mfas::duration);
    }

    public static boolean hasExpired(Record mfa, Duration maxAge) {
        return AuthRecordRefs.hasExpired(mfa, maxAge);
    }

    public static Duration duration(Collection authCollection) {
        return Duration.ofSeconds(authCollection.auth().get("mfa").path("duration").asLong(0));
    }

    public static String rule(Collection authCollection) {
        return authCollection.auth().get("mfa").path("rule").asText("");
    }
}
