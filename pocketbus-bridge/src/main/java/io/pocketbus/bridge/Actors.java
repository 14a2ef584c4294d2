package io.pocketbus.bridge;

import io.pocketbus.core.Record;
import io.pocketbus.http.RequestEvent;
import io.pocketbus.http.RouterGroup;
import io.pocketbus.tools.hook.Handler;

/**
 * Who is acting: the auth record of the request being served, so that record hooks (which see a record, not a
 * request) can write it into the activity feed. Each request runs on its own thread, which the record saves it
 * causes run on too; a change made by server code outside a request has no actor.
 */
final class Actors {
    private static final String HANDLER_ID = "pocketbusActor";
    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    private Actors() {
    }

    /** Remembers the request's auth record (loaded by an earlier middleware) while the request is handled. */
    static void bind(RouterGroup router) {
        router.bind(Handler.of(HANDLER_ID, 0, Actors::during));
    }

    private static void during(RequestEvent e) {
        String previous = CURRENT.get();
        CURRENT.set(e.auth().filter(a -> a.collection().name().equals(DomainCollections.USERS))
                .map(Record::id).orElse(""));
        try {
            e.next();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    /** The id of the signed-in user whose request this is, or empty for a superuser, a guest or server code. */
    static String current() {
        String id = CURRENT.get();
        return id == null ? "" : id;
    }
}
