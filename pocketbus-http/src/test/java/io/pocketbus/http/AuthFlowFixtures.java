package io.pocketbus.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import java.util.function.Consumer;

/** Changes to the PocketBase fixture that the auth flow tests share. */
final class AuthFlowFixtures {
    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    private AuthFlowFixtures() {
    }

    /** The fixture's {@code users} require MFA; tests of a single method switch it off. */
    static void disableMfa(App app) {
        changeAuthOption(app, "users", "mfa", o -> o.put("enabled", false));
    }

    static void changeAuthOption(App app, String collection, String key, Consumer<ObjectNode> change) {
        Collection c = app.findCollectionByNameOrId(collection).orElseThrow().copy();
        change.accept((ObjectNode) c.auth().get(key));
        app.save(c);
    }

    /** Points the app's SMTP settings at a loopback test server. */
    static void smtp(App app, int port) {
        io.pocketbus.core.Settings s = app.settings();
        s.merge(MAPPER.createObjectNode().set("smtp",
                MAPPER.createObjectNode().put("enabled", true).put("host", "127.0.0.1")
                        .put("port", port).put("tls", false)));
        app.saveSettings(s);
    }

    static Record user(App app, String email) {
        return app.findAuthRecordByEmail("users", email).orElseThrow();
    }
}
