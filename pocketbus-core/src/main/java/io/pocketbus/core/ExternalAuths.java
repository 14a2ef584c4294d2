package io.pocketbus.core;

import java.util.List;
import java.util.Optional;

/** Links between auth records and OAuth2 provider accounts, PocketBase's {@code _externalAuths} collection. */
public final class ExternalAuths {
    public static final String COLLECTION = "_externalAuths";

    private ExternalAuths() {
    }

    public static Optional<Record> findByProvider(App app, Collection authCollection, String provider,
                                                  String providerId) {
        Collection c = AuthRecordRefs.collection(app, COLLECTION);
        return app.findRecordsBySql(c, "SELECT * FROM " + SchemaSql.quote(c.tableName())
                        + " WHERE collectionRef = ? AND provider = ? AND providerId = ? LIMIT 1",
                List.of(authCollection.id(), provider, providerId)).stream().findFirst();
    }

    public static List<Record> findAllByRecord(App app, Record authRecord) {
        return AuthRecordRefs.findAllByRecord(app, COLLECTION, authRecord);
    }

    public static Record link(App app, Record authRecord, String provider, String providerId) {
        Record link = AuthRecordRefs.newRef(app, COLLECTION, authRecord);
        link.set("provider", provider);
        link.set("providerId", providerId);
        app.save(link);
        return link;
    }

    public static void deleteAllByRecord(App app, Record authRecord) {
        AuthRecordRefs.deleteAllByRecord(app, COLLECTION, authRecord);
    }
}
