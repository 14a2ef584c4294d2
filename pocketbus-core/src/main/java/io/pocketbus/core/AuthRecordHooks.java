package io.pocketbus.core;

import java.util.List;
import java.util.Objects;

/**
 * Keeps the auth system collections consistent with their auth records, as PocketBase's model hooks do:
 * a new tokenKey (password or email change) deletes the record's pending OTPs, a new password forgets its
 * known login origins, and deleting an auth record deletes its OTPs, MFA sessions, origins and OAuth2 links.
 */
final class AuthRecordHooks {
    private static final List<String> REF_COLLECTIONS =
            List.of(Otps.COLLECTION, Mfas.COLLECTION, AuthOrigins.COLLECTION, ExternalAuths.COLLECTION);

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
    }
}
