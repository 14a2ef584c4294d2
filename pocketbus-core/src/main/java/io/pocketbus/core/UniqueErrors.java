package io.pocketbus.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps a UNIQUE constraint failure reported by the database onto the fields it concerns. */
final class UniqueErrors {
    private static final Pattern INDEX_NAME = Pattern.compile("index '([^']+)'");
    private static final Pattern INDEX_COLUMNS = Pattern.compile("\\(([^)]*)\\)");

    private UniqueErrors() {
    }

    /**
     * SQLite reports either {@code UNIQUE constraint failed: table.col, table.col2} or
     * {@code UNIQUE constraint failed: index 'name'} (expression/partial indexes).
     */
    static Map<String, Object> map(Collection c, String detail) {
        Map<String, Object> errors = new LinkedHashMap<>();
        ValidationError notUnique = ValidationError.of("validation_not_unique", "Value must be unique.");
        Matcher named = INDEX_NAME.matcher(detail);
        if (named.find()) {
            for (String index : c.indexes()) {
                if (index.contains(named.group(1))) {
                    Matcher cols = INDEX_COLUMNS.matcher(index);
                    if (cols.find()) {
                        for (String col : cols.group(1).split(",")) {
                            putIfField(c, errors, col, notUnique);
                        }
                    }
                }
            }
            return errors;
        }
        int colon = detail.indexOf("failed:");
        if (colon >= 0) {
            String list = detail.substring(colon + "failed:".length()).replaceAll("\\)\\s*$", "");
            for (String col : list.split(",")) {
                putIfField(c, errors, col.contains(".") ? col.substring(col.lastIndexOf('.') + 1) : col, notUnique);
            }
        }
        return errors;
    }

    private static void putIfField(Collection c, Map<String, Object> errors, String raw, ValidationError err) {
        String name = raw.replaceAll("[`\"\\[\\]]", "").trim().split("\\s+")[0];
        if (c.field(name).isPresent()) {
            errors.put(name, err);
        }
    }
}
