package io.pocketbus.tools.picker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code ?fields=} picker of PocketBase: keeps only the listed top-level keys or dot paths of a JSON
 * response ({@code *} = every key at that level), optionally transforming a value with a modifier such as
 * {@code description:excerpt(200,true)}. Like PocketBase, which re-decodes the response into plain maps,
 * every object of the result has its keys in alphabetical order.
 */
public final class Picker {
    private Picker() {
    }

    /**
     * Picks {@code rawFields} from {@code data}. For a paginated list result pass {@code listResult} so the
     * fields apply to each of its {@code items}.
     *
     * @throws IllegalArgumentException for an unknown modifier or invalid modifier arguments
     */
    public static JsonNode pick(JsonNode data, String rawFields, boolean listResult) {
        Map<String, Optional<Modifier>> fields = parseFields(rawFields);
        JsonNode copy = sortKeys(data);
        if (listResult) {
            if (copy instanceof ObjectNode object && object.has("items")) {
                pickIn(object.get("items"), fields);
            }
        } else {
            pickIn(copy, fields);
        }
        return copy;
    }

    static Map<String, Optional<Modifier>> parseFields(String rawFields) {
        Map<String, Optional<Modifier>> fields = new LinkedHashMap<>();
        for (String raw : splitTopLevel(rawFields)) {
            String field = raw.trim();
            if (field.isEmpty()) {
                continue;
            }
            int colon = field.indexOf(':');
            if (colon >= 0) {
                fields.put(field.substring(0, colon), Optional.of(Modifier.parse(field.substring(colon + 1))));
            } else {
                fields.put(field, Optional.empty());
            }
        }
        return fields;
    }

    /** Splits on commas that are outside parentheses and quotes. */
    static List<String> splitTopLevel(String raw) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (quote != 0) {
                if (c == quote && raw.charAt(i - 1) != '\\') {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'' || c == '`') {
                quote = c;
            } else if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth = Math.max(0, depth - 1);
            } else if (c == ',' && depth == 0) {
                parts.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        parts.add(current.toString());
        return parts;
    }

    private static void pickIn(JsonNode data, Map<String, Optional<Modifier>> fields) {
        if (data instanceof ObjectNode object) {
            pickObject(object, fields);
        } else if (data instanceof ArrayNode array && !array.isEmpty() && array.get(0).isObject()) {
            for (JsonNode item : array) {
                if (item instanceof ObjectNode object) {
                    pickObject(object, new LinkedHashMap<>(fields));
                }
            }
        }
    }

    private static void pickObject(ObjectNode data, Map<String, Optional<Modifier>> fields) {
        if (fields.isEmpty()) {
            return;
        }
        Map<String, Optional<Modifier>> all = new LinkedHashMap<>(fields);
        Optional<Modifier> star = fields.get("*");
        if (star != null) {
            data.fieldNames().forEachRemaining(key -> {
                boolean listed = all.keySet().stream().anyMatch(f -> (f + ".").startsWith(key + "."));
                if (!listed) {
                    all.put(key, star);
                }
            });
        }
        List<String> remove = new ArrayList<>();
        Map<String, JsonNode> replace = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : List.copyOf(data.properties())) {
            String key = entry.getKey();
            String prefix = key + ".";
            Map<String, Optional<Modifier>> nested = new LinkedHashMap<>();
            Optional<Optional<Modifier>> whole = Optional.empty();
            for (Map.Entry<String, Optional<Modifier>> field : all.entrySet()) {
                String path = field.getKey() + ".";
                if (!path.startsWith(prefix)) {
                    continue;
                }
                String remains = path.substring(prefix.length());
                if (remains.isEmpty()) {
                    whole = Optional.of(field.getValue());
                } else {
                    nested.put(remains.substring(0, remains.length() - 1), field.getValue());
                }
            }
            if (whole.isPresent()) {
                whole.get().ifPresent(m -> replace.put(key, m.apply(entry.getValue())));
            } else if (nested.isEmpty()) {
                remove.add(key);
            } else {
                pickIn(entry.getValue(), nested);
            }
        }
        data.remove(remove);
        replace.forEach(data::set);
    }

    /** A deep copy whose objects have alphabetically ordered keys. */
    private static JsonNode sortKeys(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            node.properties().forEach(e -> sorted.put(e.getKey(), sortKeys(e.getValue())));
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            sorted.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
            node.forEach(item -> out.add(sortKeys(item)));
            return out;
        }
        return node;
    }

    /** A value transformation named in a field as {@code field:name(args...)}. */
    interface Modifier {
        JsonNode apply(JsonNode value);

        static Modifier parse(String raw) {
            List<String> tokens = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (char c : raw.toCharArray()) {
                if (c == '(' || c == ')' || c == ',' || Character.isWhitespace(c)) {
                    if (!current.isEmpty()) {
                        tokens.add(current.toString());
                        current.setLength(0);
                    }
                } else {
                    current.append(c);
                }
            }
            if (!current.isEmpty()) {
                tokens.add(current.toString());
            }
            if (tokens.isEmpty()) {
                throw new IllegalArgumentException("invalid or empty modifier expression \"" + raw + "\"");
            }
            List<String> args = tokens.subList(1, tokens.size());
            if (tokens.getFirst().equals("excerpt")) {
                Excerpt excerpt = Excerpt.of(args);
                return value -> value.isTextual() ? TextNode.valueOf(excerpt.apply(value.textValue())) : value;
            }
            throw new IllegalArgumentException("missing or invalid modifier \"" + tokens.getFirst() + "\"");
        }
    }
}
