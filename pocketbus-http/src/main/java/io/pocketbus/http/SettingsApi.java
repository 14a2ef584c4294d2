package io.pocketbus.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.Settings;
import java.util.Map;

/** {@code /api/settings}: view and patch the application settings (superusers only; secrets never returned). */
final class SettingsApi {
    private SettingsApi() {
    }

    static void bind(RouterGroup api) {
        RouterGroup settings = api.group("/settings").bind(Middlewares.requireSuperuserAuth());
        settings.get("", e -> e.json(200, e.app().settings().toPublicJson()));
        settings.patch("", SettingsApi::update);
    }

    private static void update(RequestEvent e) {
        JsonNode patch;
        try {
            patch = Json.tree(e.bindBody());
        } catch (ApiError ex) {
            throw new ApiError(400, "An error occurred while loading the submitted data.", Map.of(), ex);
        }
        Settings settings = e.app().settings();
        settings.merge(patch);
        e.app().saveSettings(settings);
        e.json(200, e.app().settings().toPublicJson());
    }
}
