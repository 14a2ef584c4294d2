package io.pocketbus.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.FileField;
import io.pocketbus.core.Record;
import io.pocketbus.core.TextField;
import io.pocketbus.tools.auth.OAuth2User;
import io.pocketbus.tools.security.RandomStrings;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The new account of an OAuth2 sign-up, as PocketBase's {@code sendOAuth2RecordCreateRequest}: the
 * {@code createData} plus the provider's mapped fields go through the ordinary record create request (its
 * create rule, {@code onRecordCreateRequest} hooks, validation) with {@code @request.context = "oauth2"},
 * and a mapped avatar file field gets the provider's picture.
 */
final class RecordAuthOAuth2SignUp {
    private final RecordCrudApi records;
    private final OAuth2Avatars avatars;

    RecordAuthOAuth2SignUp(RecordCrudApi records, OAuth2Avatars avatars) {
        this.records = records;
        this.avatars = avatars;
    }

    /** Creates the record inside the caller's transaction; returns it as saved. */
    Record create(RequestEvent e, Collection collection, OAuth2User user, Map<String, Object> createData) {
        JsonNode mapped = collection.auth().get("oauth2").path("mappedFields");
        Map<String, Object> payload = new LinkedHashMap<>(createData);
        payload.put("email", user.email());
        if (RecordAuthForms.text(payload, "password").isEmpty()) {
            String password = RandomStrings.random(30);
            payload.put("password", password);
            payload.put("passwordConfirm", password);
        }
        putUnlessSubmitted(payload, mapped.path("id").asText(""), user.id());
        putUnlessSubmitted(payload, mapped.path("name").asText(""), user.name());
        String usernameField = mapped.path("username").asText("");
        if (!usernameField.isEmpty() && !payload.containsKey(usernameField)
                && canAssignUsername(e, collection, usernameField, user.username())) {
            payload.put(usernameField, user.username());
        }
        List<UploadedFile> files = List.of();
        String avatarField = mapped.path("avatarURL").asText("");
        if (!avatarField.isEmpty() && !payload.containsKey(avatarField) && !user.avatarURL().isEmpty()) {
            if (collection.field(avatarField).orElse(null) instanceof FileField file) {
                // a picture that cannot be fetched leaves the field empty rather than failing the sign-up
                files = avatars.download(user.avatarURL(), avatarField, file.effectiveMaxSize())
                        .map(List::of).orElse(List.of());
            } else {
                payload.put(avatarField, user.avatarURL());
            }
        }
        return sendCreateRequest(e, collection, payload, files);
    }

    private static void putUnlessSubmitted(Map<String, Object> payload, String field, String value) {
        if (!field.isEmpty() && !payload.containsKey(field)) {
            payload.put(field, value);
        }
    }

    /** The provider's username only when it is free and valid for the (text) field, as PocketBase checks it. */
    private static boolean canAssignUsername(RequestEvent e, Collection collection, String field, String username) {
        if (!(collection.field(field).orElse(null) instanceof TextField text)) {
            return false;
        }
        if (!username.isEmpty() && e.app().findFirstRecordByData(collection, field, username).isPresent()) {
            return false;
        }
        Record probe = new Record(collection);
        probe.set(field, username);
        return text.validateValue(e.app(), probe).isEmpty();
    }

    /** The create request run in-process with the login request's auth and client address. */
    private Record sendCreateRequest(RequestEvent e, Collection collection, Map<String, Object> payload,
                                     List<UploadedFile> files) {
        Map<String, String> headers = new LinkedHashMap<>(e.headers());
        headers.keySet().removeIf(h -> h.equalsIgnoreCase("Authorization") || h.equalsIgnoreCase("Content-Type")
                || h.equalsIgnoreCase("Content-Length"));
        headers.put("Content-Type", "application/json");
        String url = "/api/collections/" + URLEncoder.encode(collection.name(), StandardCharsets.UTF_8) + "/records";
        BatchExchange exchange = new BatchExchange("POST", url, headers, e.remoteIp(), Json.write(payload));
        RequestEvent create = new RequestEvent(exchange, e.app());
        create.pathParams(Map.of("collection", collection.name()));
        create.infoContext(RecordAuthOAuth2Api.CONTEXT_OAUTH2);
        e.auth().ifPresent(create::setAuth);
        create.subRequestFiles(files);
        records.create(create);
        // as PocketBase: anything but a 200 with the record (a hook may answer otherwise) is a failed sign-up
        String id = "";
        if (exchange.responseStatus() == 200) {
            try {
                id = Json.MAPPER.readTree(exchange.responseBody()).path("id").asText("");
            } catch (IOException ex) {
                id = "";
            }
        }
        Optional<Record> created = id.isEmpty() ? Optional.empty() : e.app().findRecordById(collection, id);
        return created.orElseThrow(() -> ApiError.badRequest("Failed to create OAuth2 auth record."));
    }
}
