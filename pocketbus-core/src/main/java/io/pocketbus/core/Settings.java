package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The application settings, stored as PocketBase stores them ({@code _params} row {@code settings}) and kept
 * in its JSON shape and key order: superuserIPs, smtp, backups, s3, meta, rateLimits, trustedProxy, batch,
 * logs. Pocketbus adds one section, {@code objectStore: {enabled, bucket}}, which selects the files backend as
 * {@code s3} does in PocketBase; it is absent until set, so the settings keep PocketBase's exact shape. Unknown
 * keys found in a stored row are kept.
 */
public final class Settings {
    /** ADR-20's bucket name rule. */
    public static final String DEFAULT_OBJECT_STORE_BUCKET = "pb_storage";
    private static final java.util.regex.Pattern BUCKET_NAME = java.util.regex.Pattern.compile("^[a-zA-Z0-9_-]+$");
    private final ObjectNode node;

    private Settings(ObjectNode node) {
        this.node = node;
    }

    /** PocketBase's defaults for a new installation. */
    public static Settings defaults() {
        try (InputStream in = Settings.class.getResourceAsStream("settings.json")) {
            return new Settings((ObjectNode) Field.MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stored or submitted settings over the defaults. */
    public static Settings fromJson(JsonNode json) {
        Settings s = defaults();
        s.merge(json);
        return s;
    }

    /** Deep-merges a partial settings object (PATCH semantics): objects merge, other values replace. */
    public void merge(JsonNode patch) {
        if (patch != null && patch.isObject()) {
            merge(node, (ObjectNode) patch);
        }
    }

    private static void merge(ObjectNode target, ObjectNode source) {
        Iterator<Map.Entry<String, JsonNode>> it = source.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode so) {
                merge(eo, so);
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    public Settings copy() {
        return new Settings(node.deepCopy());
    }

    /** Everything, secrets included (for storage). */
    public ObjectNode toJson() {
        return node.deepCopy();
    }

    /** The API form: the SMTP password blanked, the S3 secrets left out. */
    public ObjectNode toPublicJson() {
        ObjectNode copy = node.deepCopy();
        if (copy.get("smtp") instanceof ObjectNode smtp) {
            smtp.put("password", "");
        }
        if (copy.get("s3") instanceof ObjectNode s3) {
            s3.remove("secret");
        }
        if (copy.path("backups").get("s3") instanceof ObjectNode bs3) {
            bs3.remove("secret");
        }
        return copy;
    }

    /** The raw section (e.g. {@code rateLimits}); a missing node when absent. */
    public JsonNode get(String section) {
        return node.path(section);
    }

    public String appName() {
        return node.path("meta").path("appName").asText("");
    }

    public String appURL() {
        return node.path("meta").path("appURL").asText("");
    }

    public String senderName() {
        return node.path("meta").path("senderName").asText("");
    }

    public String senderAddress() {
        return node.path("meta").path("senderAddress").asText("");
    }

    public boolean batchEnabled() {
        return node.path("batch").path("enabled").asBoolean(false);
    }

    public int batchMaxRequests() {
        return node.path("batch").path("maxRequests").asInt(50);
    }

    /** Seconds a batch transaction may run. */
    public int batchTimeout() {
        return node.path("batch").path("timeout").asInt(3);
    }

    /** Bytes; 0 means PocketBase's default (128 MB). */
    public long batchMaxBodySize() {
        return node.path("batch").path("maxBodySize").asLong(0);
    }

    public boolean rateLimitsEnabled() {
        return node.path("rateLimits").path("enabled").asBoolean(false);
    }

    public List<String> trustedProxyHeaders() {
        return strings(node.path("trustedProxy").path("headers"));
    }

    public boolean trustedProxyUseLeftmostIP() {
        return node.path("trustedProxy").path("useLeftmostIP").asBoolean(false);
    }

    public List<String> superuserIPs() {
        return strings(node.path("superuserIPs"));
    }

    public int logsMaxDays() {
        return node.path("logs").path("maxDays").asInt(5);
    }

    public int logsMinLevel() {
        return node.path("logs").path("minLevel").asInt(0);
    }

    public boolean logsLogIP() {
        return node.path("logs").path("logIP").asBoolean(true);
    }

    public boolean logsLogAuthId() {
        return node.path("logs").path("logAuthId").asBoolean(false);
    }

    /** Whether file fields are kept in the broker's Object Store ({@link #objectStoreBucket()}) instead of storage/. */
    public boolean objectStoreEnabled() {
        return node.path("objectStore").path("enabled").asBoolean(false);
    }

    /** The bucket of {@code objectStore} ({@value #DEFAULT_OBJECT_STORE_BUCKET} when not set). */
    public String objectStoreBucket() {
        return node.path("objectStore").path("bucket").asText(DEFAULT_OBJECT_STORE_BUCKET);
    }

    public boolean smtpEnabled() {
        return node.path("smtp").path("enabled").asBoolean(false);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** Field errors in PocketBase's nested shape; empty when valid. */
    Map<String, Object> validate() {
        Map<String, Object> errors = new java.util.LinkedHashMap<>();
        Map<String, Object> meta = new java.util.LinkedHashMap<>();
        if (appName().isBlank()) {
            meta.put("appName", ValidationError.required());
        } else if (appName().length() > 255) {
            meta.put("appName", ValidationError.of("validation_length_too_long", "The length must be no more than 255."));
        }
        if (appURL().isBlank()) {
            meta.put("appURL", ValidationError.required());
        } else if (Domains.urlHost(appURL()).isEmpty()) {
            meta.put("appURL", ValidationError.of("validation_is_url", "Must be a valid URL."));
        }
        if (!senderAddress().isEmpty() && !Domains.isEmail(senderAddress())) {
            meta.put("senderAddress", ValidationError.of("validation_is_email", "Must be a valid email address."));
        }
        if (!meta.isEmpty()) {
            errors.put("meta", meta);
        }
        if (batchMaxRequests() < 0 || batchTimeout() < 0) {
            errors.put("batch", Map.of("maxRequests", ValidationError.of("validation_min_greater_equal_than_required",
                    "Must be no less than 0.")));
        }
        if (objectStoreEnabled() && objectStoreBucket().isEmpty()) {
            errors.put("objectStore", Map.of("bucket", ValidationError.required()));
        } else if (!objectStoreBucket().isEmpty() && !BUCKET_NAME.matcher(objectStoreBucket()).matches()) {
            errors.put("objectStore", Map.of("bucket", ValidationError.of("validation_match_invalid",
                    "Must be in a valid format.")));
        }
        if (logsMaxDays() < 0) {
            errors.put("logs", Map.of("maxDays", ValidationError.of("validation_min_greater_equal_than_required",
                    "Must be no less than 0.")));
        }
        return errors;
    }
}
