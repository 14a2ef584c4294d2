package io.pocketbus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.RecordEvents;
import io.pocketbus.core.Settings;
import io.pocketbus.core.ValidationError;
import io.pocketbus.http.RequestEvent;
import io.pocketbus.http.ServeEvent;
import io.pocketbus.tools.hook.Handler;
import io.pocketbus.tools.hook.Hook;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The optional durable stream of record events on the embedded broker. The Pocketbus settings section
 * {@code recordEvents: {streams: ["posts", ...], maxBytes, maxAge}} (absent until set, so the settings keep
 * PocketBase's shape and its collections stay untouched) names the collections whose events the app
 * account's JetStream stream {@value #STREAM} keeps — subjects {@code pb.records.<collection>.>}, file
 * storage — so that consumers can replay them. {@code PATCH /api/settings} checks the section (known
 * collection names only); the stream follows each change and is reconciled when the server starts. A renamed
 * collection stays in the section under its new name; a deleted one leaves it.
 */
final class RecordEventsStream {
    static final String STREAM = "PB_RECORDS";
    static final String SECTION = "recordEvents";
    static final long DEFAULT_MAX_BYTES = 1L << 30;
    static final long DEFAULT_MAX_AGE_SECONDS = Duration.ofDays(30).toSeconds();
    private static final String HANDLER_ID = "__pb_record_events_stream__";
    /** JetStream error code "stream not found". */
    private static final int STREAM_NOT_FOUND = 10059;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final App app;
    private final Supplier<Options> options;
    private final ReentrantLock lock = new ReentrantLock();

    private RecordEventsStream(App app, Supplier<Options> options) {
        this.app = app;
        this.options = options;
    }

    /** The section's values, defaults filled in. */
    record Config(List<String> streams, long maxBytes, long maxAgeSeconds) {
        static Config of(Settings settings) {
            JsonNode section = settings.toJson().path(SECTION);
            List<String> streams = new ArrayList<>();
            section.path("streams").forEach(n -> streams.add(n.asText()));
            return new Config(streams, section.path("maxBytes").asLong(DEFAULT_MAX_BYTES),
                    section.path("maxAge").asLong(DEFAULT_MAX_AGE_SECONDS));
        }
    }

    /**
     * Checks the section of {@code PATCH /api/settings} and keeps the stream in step with it, from when the
     * server starts; {@code options} connect to the embedded broker as the app's account.
     */
    static void bind(App app, Hook<ServeEvent> onServe, Supplier<Options> options) {
        RecordEventsStream stream = new RecordEventsStream(app, options);
        Map<String, String> renamed = new ConcurrentHashMap<>();
        app.onCollectionUpdateExecute().bindFunc(e -> {
            String before = app.findStoredCollection(e.collection().id()).map(Collection::name)
                    .orElse(e.collection().name());
            e.next();
            if (!before.equals(e.collection().name())) {
                renamed.put(e.collection().id(), before);
            }
        });
        app.onCollectionAfterUpdateError().bindFunc(e -> {
            renamed.remove(e.collection().id());
            e.next();
        });
        app.onCollectionAfterUpdateSuccess().bindFunc(e -> {
            String before = renamed.remove(e.collection().id());
            if (before != null) {
                stream.follow(before, Optional.of(e.collection().name()));
            }
            e.next();
        });
        app.onCollectionAfterDeleteSuccess().bindFunc(e -> {
            stream.follow(e.collection().name(), Optional.empty());
            e.next();
        });
        onServe.bindFunc(e -> {
            // never set: there is no stream to keep in step (nor a reason to need JetStream)
            if (app.currentSettings().toJson().has(SECTION)) {
                stream.apply(Config.of(app.currentSettings()));
            }
            e.router().bind(Handler.of(HANDLER_ID, stream::onRequest));
            e.next();
        });
    }

    private void onRequest(RequestEvent e) {
        if (!e.method().equals("PATCH") || !e.path().equals("/api/settings") || !e.hasSuperuserAuth()) {
            e.next();
            return;
        }
        JsonNode patch;
        try {
            patch = JSON.valueToTree(e.bindBody());
        } catch (ApiError unreadable) {
            // the settings API itself reports an unreadable body
            e.next();
            return;
        }
        if (!patch.has(SECTION)) {
            e.next();
            return;
        }
        Settings merged = app.settings();
        merged.merge(patch);
        Map<String, Object> errors = validate(merged.toJson().path(SECTION));
        if (!errors.isEmpty()) {
            throw ApiError.badRequest("An error occurred while submitting the form.", Map.of(SECTION, errors));
        }
        // before the settings API answers, so that a client seeing the new settings finds the stream as they say
        apply(Config.of(merged));
        try {
            e.next();
        } catch (RuntimeException failed) {
            // the settings were not saved: back to the stored ones
            apply(Config.of(app.currentSettings()));
            throw failed;
        }
    }

    private Map<String, Object> validate(JsonNode section) {
        Map<String, Object> errors = new LinkedHashMap<>();
        if (!section.isObject()) {
            errors.put("streams", ValidationError.of("validation_invalid_value", "Must be an object."));
            return errors;
        }
        JsonNode streams = section.path("streams");
        if (!streams.isMissingNode() && !streams.isNull()) {
            if (!streams.isArray()) {
                errors.put("streams", ValidationError.of("validation_invalid_value", "Must be a list of collection names."));
            } else {
                Set<String> seen = new LinkedHashSet<>();
                for (JsonNode name : streams) {
                    boolean known = name.isTextual() && app.findCollectionByNameOrId(name.asText())
                            .filter(c -> c.name().equals(name.asText())).isPresent();
                    if (!known || !seen.add(name.asText())) {
                        errors.put("streams", ValidationError.of("validation_invalid_collection",
                                "Unknown or repeated collection name " + name + "."));
                        break;
                    }
                }
            }
        }
        JsonNode maxBytes = section.path("maxBytes");
        if (!maxBytes.isMissingNode() && !(maxBytes.canConvertToExactIntegral()
                && (maxBytes.asLong() > 0 || maxBytes.asLong() == -1))) {
            errors.put("maxBytes", ValidationError.of("validation_invalid_value",
                    "Must be a positive number of bytes, or -1 for no limit."));
        }
        JsonNode maxAge = section.path("maxAge");
        if (!maxAge.isMissingNode() && !(maxAge.canConvertToExactIntegral() && maxAge.asLong() >= 0)) {
            errors.put("maxAge", ValidationError.of("validation_min_greater_equal_than_required",
                    "Must be no less than 0 (seconds; 0 keeps events for ever)."));
        }
        return errors;
    }

    /** Keeps a renamed collection (or drops a deleted one) in the section and the stream. */
    private void follow(String name, Optional<String> newName) {
        lock.lock();
        try {
            Config config = Config.of(app.currentSettings());
            if (!config.streams().contains(name)) {
                return;
            }
            List<String> streams = new ArrayList<>(config.streams());
            int at = streams.indexOf(name);
            newName.ifPresentOrElse(n -> streams.set(at, n), () -> streams.remove(at));
            ObjectNode patch = JSON.createObjectNode();
            patch.putObject(SECTION).set("streams", JSON.valueToTree(streams));
            Settings settings = app.settings();
            settings.merge(patch);
            app.saveSettings(settings);
            apply(Config.of(settings));
        } finally {
            lock.unlock();
        }
    }

    /** Creates, updates or (with no collection enabled) deletes the stream. */
    private void apply(Config config) {
        lock.lock();
        try (Connection nc = Nats.connect(options.get())) {
            JetStreamManagement jsm = nc.jetStreamManagement();
            if (config.streams().isEmpty()) {
                try {
                    jsm.deleteStream(STREAM);
                } catch (JetStreamApiException e) {
                    if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                        throw e;
                    }
                }
                return;
            }
            StreamConfiguration stream = StreamConfiguration.builder().name(STREAM)
                    .subjects(config.streams().stream().map(c -> RecordEvents.PREFIX + c + ".>").toList())
                    .storageType(StorageType.File).maxBytes(config.maxBytes())
                    .maxAge(Duration.ofSeconds(config.maxAgeSeconds())).build();
            try {
                jsm.getStreamInfo(STREAM);
                jsm.updateStream(stream);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != STREAM_NOT_FOUND) {
                    throw e;
                }
                jsm.addStream(stream);
            }
        } catch (IOException | JetStreamApiException e) {
            throw new IllegalStateException("cannot update the record events stream " + STREAM + ": "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while updating the record events stream", e);
        } finally {
            lock.unlock();
        }
    }
}
