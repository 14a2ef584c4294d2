package io.pocketbus.core;

import java.util.List;
import java.util.Objects;

/**
 * Keeps the auth system collections consistent with their auth records, as PocketBase's model hooks do:
 * a new tokenKey (password or email change) deletes the record's pending OTPs, a new password forgets its
 * known login origins, and deleting an auth record deletes its OTPs, MFA sessions, origins and OAuth2 links.
 * PocketBase's hourly system jobs remove expired OTPs and MFA sessions (login origins have no expiry: they go
 * with a password change or the record).
 */
final class AuthRecordHooks {
    private static final List<String> REF_COLLECTIONS =
            List.of(Otps.COLLECTION, Mfas.COLLECTION, AuthOrigins.COLLECTION, ExternalAuths.COLLECTION);

    static final String MFA_CLEANUP = "__pbMFACleanup__";
    static final String OTP_CLEANUP = "__pbOTPCleanup__";

    private AuthRecordHooks() {
    }

    static void register(App app) {
        app.onRecordUpdate().bindFunc(e -> {
            Record record = e.record();
            if (!record.isAuth()) {
                e.next();
                return;
            }
            Object oldTokenKey = record.original("tokenKey");
            Object oldPassword = record.original("password");
            e.next();
            if (!Objects.equals(oldTokenKey, record.tokenKey())) {
                Otps.deleteAllByRecord(e.app(), record);
            }
            if (!Objects.equals(oldPassword, record.get("password"))) {
                AuthOrigins.deleteAllByRecord(e.app(), record);
            }
        });
        app.onRecordDeleteExecute().bindFunc(e -> {
            Record record = e.record();
            if (record.isAuth()) {
                for (String name : REF_COLLECTIONS) {
                    if (e.app().findCollectionByNameOrId(name).isPresent()) {
                        AuthRecordRefs.deleteAllByRecord(e.app(), name, record);
                    }
                }
            }
            e.next();
        });
        app.cron().add(MFA_CLEANUP, "0 * * * *", () -> {
            if (app.isBootstrapped()) {
                Mfas.deleteExpired(app);
            }
        });
        app.cron().add(OTP_CLEANUP, "0 * * * *", () -> {
            if (app.isBootstrapped()) {
                Otps.deleteExpired(app);
            }
        });
    }
}
