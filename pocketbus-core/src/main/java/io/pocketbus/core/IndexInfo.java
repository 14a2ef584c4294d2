package io.pocketbus.core;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the filter resolver needs to know about a collection's index definitions. */
final class IndexInfo {

    private static final Pattern CREATE_INDEX = Pattern.compile(
            "(?is)^\\s*CREATE\\s+(UNIQUE\\s+)?INDEX\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?\\S+\\s+ON\\s+\\S+?\\s*\\((.*?)\\)\\s*(?:WHERE\\s+.*)?;?\\s*$");

    private IndexInfo() {
    }

    /** Whether one of the indexes is UNIQUE over exactly {@code column} (a WHERE clause is ignored). */
    static boolean hasSingleColumnUniqueIndex(List<String> indexes, String column) {
        for (String index : indexes) {
            Matcher m = CREATE_INDEX.matcher(index);
            if (!m.matches() || m.group(1) == null) {
                continue;
            }
            String[] columns = m.group(2).split(",");
            if (columns.length == 1 && unquote(columns[0]).equalsIgnoreCase(column)) {
                return true;
            }
        }
        return false;
    }

    private static String unquote(String column) {
        String name = column.strip().split("\\s+")[0];
        if (name.length() >= 2 && "`\"[".indexOf(name.charAt(0)) >= 0) {
            name = name.substring(1, name.length() - 1);
        }
        return name;
    }
}
