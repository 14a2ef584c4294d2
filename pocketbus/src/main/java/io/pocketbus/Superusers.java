package io.pocketbus;

import io.pocketbus.core.App;
import java.util.List;

/** Superuser queries the command line needs. */
final class Superusers {
    static final String COLLECTION = "_superusers";

    private Superusers() {
    }

    static long count(App app) {
        return app.db().queryOne("SELECT COUNT(*) FROM " + COLLECTION, List.of(), rs -> rs.getLong(1)).orElse(0L);
    }
}
