package io.pocketbus.core;

import io.pocketbus.tools.security.Passwords;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One-time passwords in PocketBase's {@code _otps} collection: a bcrypt-hashed code tied to an auth record,
 * valid for the collection's {@code otp.duration} from its creation.
 */
public final class Otps {
    public static final String COLLECTION = "_otps";

    private Otps() {
    }

    /** Stores a new OTP for {@code authRecord} with the plain {@code password} (hashed on save). */
    public static Record create(App app, Record authRecord, String password) {
        Record otp = AuthRecordRefs.newRef(app, COLLECTION, authRecord);
        otp.set("password", password);
        app.save(otp);
        return otp;
    }

    public static Optional<Record> findById(App app, String id) {
        return AuthRecordRefs.findById(app, COLLECTION, id);
    }

    /** The OTPs of a record, newest first. */
    public static List<Record> findAllByRecord(App app, Record authRecord) {
        return AuthRecordRefs.findAllByRecord(app, COLLECTION, authRecord);
    }

    public static void deleteAllByRecord(App app, Record authRecord) {
        AuthRecordRefs.deleteAllByRecord(app, COLLECTION, authRecord);
    }

    /** Removes the OTPs older than their collection's {@code otp.duration} (PocketBase's hourly job). */
    public static void deleteExpired(App app) {
        AuthRecordRefs.deleteExpired(app, COLLECTION, Otps::duration);
    }

    public static boolean hasExpired(Record otp, Duration maxAge) {
        return AuthRecordRefs.hasExpired(otp, maxAge);
    }

    /** Compares the code with the stored hash (bcrypt, so the comparison time does not depend on the code). */
    public static boolean validatePassword(Record otp, String password) {
        return Passwords.verify(password, otp.getString("password"));
    }

    /** The address the code was mailed to; empty until a mail went out. */
    public static String sentTo(Record otp) {
        return otp.getString("sentTo");
    }

    /** The OTP's lifetime from the auth collection's options. */
    public static Duration duration(Collection authCollection) {
        return Duration.ofSeconds(authCollection.auth().get("otp").path("duration").asLong(0));
    }

    public static int length(Collection authCollection) {
        return authCollection.auth().get("otp").path("length").asInt(8);
    }
}
