package io.pocketbus.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.core.ApiError;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.util.Attributes;

/** Decoding of request bodies and query strings into PocketBase's submitted-data shape. */
final class RequestBody {
    /** The multipart/form key whose JSON object value is merged, un-inferred, into the submitted data. */
    static final String JSON_PAYLOAD_KEY = "@jsonPayload";

    private static final Pattern NUMBER_CHARS = Pattern.compile("^[\\-.\\d]+$");

    /** Form fields and files of a multipart or urlencoded body. */
    record Form(Map<String, List<String>> fields, List<UploadedFile> files) { }

    private RequestBody() {
    }

    /** Parses {@code a=1&b=2&a=3} (form rules: {@code +} is a space), keeping first-seen key order. */
    static Map<String, List<String>> parseUrlEncoded(String raw) {
        Map<String, List<String>> values = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return values;
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decodeForm(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : decodeForm(pair.substring(eq + 1));
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return values;
    }

    private static String decodeForm(String raw) {
        try {
            return URLDecoder.decode(raw, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    static Form parseMultipart(byte[] body, String contentType) {
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null) {
            throw ApiError.badRequest("Failed to read the submitted data.");
        }
        // the body is already in memory and within the route's body limit
        MultiPartConfig config = new MultiPartConfig.Builder().maxMemoryPartSize(Long.MAX_VALUE).maxSize(-1)
                .maxPartSize(-1).maxParts(10_000).build();
        Content.Source source = new ByteBufferContentSource(ByteBuffer.wrap(body));
        try (MultiPartFormData.Parts parts = MultiPartFormData.getParts(source, new Attributes.Mapped(),
                contentType, config)) {
            Map<String, List<String>> fields = new LinkedHashMap<>();
            List<UploadedFile> files = new ArrayList<>();
            for (MultiPart.Part part : parts) {
                String name = part.getName();
                if (name == null) {
                    continue;
                }
                if (part.getFileName() != null) {
                    ByteBuffer buffer = Content.Source.asByteBuffer(part.getContentSource());
                    byte[] content = new byte[buffer.remaining()];
                    buffer.get(content);
                    String type = part.getHeaders().get("Content-Type");
                    files.add(new UploadedFile(name, part.getFileName(),
                            type == null ? "application/octet-stream" : type, content));
                } else {
                    fields.computeIfAbsent(name, k -> new ArrayList<>())
                            .add(part.getContentAsString(StandardCharsets.UTF_8));
                }
            }
            return new Form(fields, files);
        } catch (IOException | RuntimeException e) {
            throw new ApiError(400, "Failed to read the submitted data.", Map.of(), e);
        }
    }

    /** Form values as submitted data: single values inferred, repeated keys as lists, {@code @jsonPayload} merged. */
    static Map<String, Object> formToData(Map<String, List<String>> fields) {
        Map<String, Object> data = new LinkedHashMap<>();
        fields.forEach((key, values) -> {
            if (key.equals(JSON_PAYLOAD_KEY)) {
                return;
            }
            if (values.size() == 1) {
                data.put(key, inferValue(values.getFirst()));
            } else {
                List<Object> inferred = new ArrayList<>(values.size());
                values.forEach(v -> inferred.add(inferValue(v)));
                data.put(key, inferred);
            }
        });
        for (String payload : fields.getOrDefault(JSON_PAYLOAD_KEY, List.of())) {
            data.putAll(parseJsonObject(payload.getBytes(StandardCharsets.UTF_8)));
        }
        return data;
    }

    static Map<String, Object> parseJsonObject(byte[] json) {
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node == null || node.isMissingNode() || node.isNull()) {
                return new LinkedHashMap<>();
            }
            if (!node.isObject()) {
                throw ApiError.badRequest("Failed to read the submitted data.");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> data = (Map<String, Object>) plain(node);
            return data;
        } catch (IOException e) {
            throw new ApiError(400, "Failed to read the submitted data.", Map.of(), e);
        }
    }

    /**
     * The tree as plain values, exactly as Jackson's untyped binding ({@code convertValue} to a map) gives them:
     * LinkedHashMap, ArrayList, String, Boolean, the number as parsed (Integer, Long, BigInteger, Double), null;
     * walked directly, which costs a fraction of the conversion's serialise-and-bind round trip. The parser
     * caps nesting, so the recursion is bounded.
     */
    static Object plain(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> e : node.properties()) {
                    map.put(e.getKey(), plain(e.getValue()));
                }
                yield map;
            }
            case ARRAY -> {
                List<Object> list = new ArrayList<>(node.size());
                for (JsonNode item : node) {
                    list.add(plain(item));
                }
                yield list;
            }
            case STRING -> node.textValue();
            case BOOLEAN -> node.booleanValue();
            case NUMBER -> node.numberValue();
            case NULL, MISSING -> null;
            case BINARY, POJO -> Json.MAPPER.convertValue(node, Object.class);
        };
    }

    /**
     * PocketBase's form value inference: {@code "true"}/{@code "false"} become booleans and a string that is
     * exactly the shortest form of a number becomes that number; anything else stays a string.
     */
    static Object inferValue(String raw) {
        switch (raw) {
            case "" -> {
                return raw;
            }
            case "true" -> {
                return Boolean.TRUE;
            }
            case "false" -> {
                return Boolean.FALSE;
            }
            default -> {
                char first = raw.charAt(0);
                if ((first == '-' || (first >= '0' && first <= '9')) && NUMBER_CHARS.matcher(raw).matches()) {
                    try {
                        double value = Double.parseDouble(raw);
                        if (Json.goFloat(value).equals(raw)) {
                            return value;
                        }
                    } catch (NumberFormatException ignored) {
                        // not a number after all: keep the string
                    }
                }
                return raw;
            }
        }
    }
}
