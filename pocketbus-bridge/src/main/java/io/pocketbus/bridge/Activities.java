package io.pocketbus.bridge;

import io.pocketbus.core.App;
import io.pocketbus.core.Record;

/** Appends to a group's activity feed (server-written only: the collection has no create rule). */
final class Activities {
    private Activities() {
    }

    static void write(App app, String groupId, String actorId, String verb, String target) {
        Record a = new Record(app.findCollectionByNameOrId(DomainCollections.ACTIVITIES).orElseThrow());
        a.set("group", groupId);
        a.set("actor", actorId);
        a.set("verb", verb);
        a.set("target", target);
        app.save(a);
    }
}
