package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/** Value normalisation shared by the list-capable fields (select, file, relation). */
final class MultiValues {
    private MultiValues() {
    }

    /**
     * Any input as a list of unique non-empty strings: a list, a JSON array (also as text, as stored in
     * the database), or a single string.
     */
    static List<String> toList(Object raw) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        collect(raw, out);
        out.remove("");
        return new ArrayList<>(out);
    }

    private static void collect(Object raw, LinkedHashSet<String> out) {
        if (raw == null) {
            return;
        }
        if (raw instanceof JsonNode n) {
            if (n.isArray()) {
                n.forEach(item -> collect(item, out));
            } else if (!n.isNull()) {
                collect(n.isTextual() ? n.asText() : n.toString(), out);
            }
            return;
        }
        if (raw instanceof Collection<?> c) {
            c.forEach(item -> collect(item, out));
            return;
        }
        if (raw instanceof Object[] arr) {
            for (Object item : arr) {
                collect(item, out);
            }
            return;
        }
        String s = Field.plainText(raw);
        String t = s.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            try {
                JsonNode parsed = Field.MAPPER.readTree(t);
                if (parsed.isArray()) {
                    parsed.forEach(item -> out.add(item.isTextual() ? item.asText() : item.toString()));
                    return;
                }
            } catch (java.io.IOException ignored) {
                // not a JSON array: a plain value
            }
        }
        out.add(s);
    }

    /** The canonical value: the list for multiple fields; the last item (or "") for single ones. */
    static Object canonical(Object raw, boolean multiple) {
        List<String> list = toList(raw);
        if (multiple) {
            return list;
        }
        return list.isEmpty() ? "" : list.get(list.size() - 1);
    }

    /** Lists are stored as JSON text. */
    static Object dbValue(Object value) {
        if (value instanceof List<?> list) {
            try {
                return Field.MAPPER.writeValueAsString(list);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return value;
    }
}
