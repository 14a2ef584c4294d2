package io.pocketbus.tools.search;

/**
 * SQLite JSON expressions that also accept non-JSON column values (a plain value counts as a one-item
 * array), as PocketBase's dbutils helpers. Columns are passed already quoted.
 */
public final class JsonSql {

    private JsonSql() {
    }

    /** {@code json_each} over the column as an array. */
    public static String jsonEach(String column) {
        return "json_each(CASE WHEN iif(json_valid(" + column + "), json_type(" + column + ")='array', FALSE) THEN "
                + column + " ELSE json_array(" + column + ") END)";
    }

    /** The number of items; 0 for NULL or {@code ''}. */
    public static String jsonArrayLength(String column) {
        return "json_array_length(CASE WHEN iif(json_valid(" + column + "), json_type(" + column + ")='array', FALSE) "
                + "THEN " + column + " ELSE (CASE WHEN " + column + " = '' OR " + column + " IS NULL THEN json_array() "
                + "ELSE json_array(" + column + ") END) END)";
    }

    /**
     * The value at {@code path} ({@code a.b[0]} form, without the leading {@code $}); a non-JSON column is
     * read as a plain value. The path is checked to hold only name, index and sign characters, so it cannot
     * leave its SQL string literal.
     */
    public static String jsonExtract(String column, String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (!Sql.isWordChar(c) && c != '.' && c != '[' && c != ']' && c != '-' && c != '+') {
                throw new FilterException("invalid json path " + GoQuote.string(path));
            }
        }
        String p = (!path.isEmpty() && !path.startsWith("[")) ? "." + path : path;
        return "(CASE WHEN json_valid(" + column + ") THEN JSON_EXTRACT(" + column + ", '$" + p + "') ELSE "
                + "JSON_EXTRACT(json_object('pb', " + column + "), '$.pb" + p + "') END)";
    }
}
