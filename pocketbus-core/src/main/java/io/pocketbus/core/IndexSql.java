package io.pocketbus.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed {@code CREATE [UNIQUE] INDEX name ON table (columns) [WHERE ...]} statement. */
record IndexSql(boolean unique, String name, String table, String columns, String where) {
    private static final Pattern CREATE = Pattern.compile(
            "(?is)^\\s*CREATE\\s+(UNIQUE\\s+)?INDEX\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([`\"\\[]?)(\\w+)[`\"\\]]?\\s+"
                    + "ON\\s+[`\"\\[]?(\\w+)[`\"\\]]?\\s*\\((.+)\\)\\s*(?:WHERE\\s+(.+?))?\\s*;?\\s*$");

    static Optional<IndexSql> parse(String sql) {
        Matcher m = CREATE.matcher(sql);
        if (!m.matches()) {
            return Optional.empty();
        }
        String cols = m.group(5);
        String where = m.group(6) == null ? "" : m.group(6).trim();
        // a WHERE swallowed by the greedy column group
        int whereAt = indexOfTopLevelWhere(cols);
        if (whereAt >= 0) {
            return Optional.empty();
        }
        return Optional.of(new IndexSql(m.group(1) != null, m.group(3), m.group(4), cols.trim(), where));
    }

    private static int indexOfTopLevelWhere(String cols) {
        int depth = 0;
        String upper = cols.toUpperCase(java.util.Locale.ROOT);
        for (int i = 0; i < cols.length(); i++) {
            char c = cols.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
                if (depth < 0) {
                    return i;
                }
            } else if (depth == 0 && upper.startsWith("WHERE", i)) {
                return i;
            }
        }
        return -1;
    }

    /** The plain column names (identifiers only; expressions are skipped). */
    List<String> columnNames() {
        List<String> out = new ArrayList<>();
        for (String part : columns.split(",")) {
            String p = part.trim().replaceAll("(?i)\\s+(ASC|DESC|COLLATE\\s+\\w+)\\b.*$", "")
                    .replaceAll("[`\"\\[\\]]", "").trim();
            if (p.matches("\\w+")) {
                out.add(p);
            }
        }
        return out;
    }

    /** The statement for {@code tableName}, keeping the original name, columns and condition. */
    String build(String tableName) {
        return "CREATE " + (unique ? "UNIQUE " : "") + "INDEX `" + name + "` ON `" + tableName + "` (" + columns + ")"
                + (where.isEmpty() ? "" : " WHERE " + where);
    }
}
