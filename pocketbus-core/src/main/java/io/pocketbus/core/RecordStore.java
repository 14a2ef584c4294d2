package io.pocketbus.core;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Loads records from their collection tables. */
final class RecordStore {
    private final App app;

    RecordStore(App app) {
        this.app = app;
    }

    Optional<Record> findById(Collection collection, String id) {
        List<Record> rows = query(collection,
                "SELECT * FROM " + SchemaSql.quote(collection.tableName()) + " WHERE id = ? LIMIT 1", List.of(id));
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    List<Record> findByField(Collection collection, String fieldName, Object value) {
        Field f = collection.field(fieldName)
                .orElseThrow(() -> ApiError.badRequest("Unknown field " + fieldName + "."));
        String table = SchemaSql.quote(collection.tableName());
        String col = SchemaSql.quote(f.name());
        if (f.isMultiple()) {
            return query(collection, "SELECT * FROM " + table + " WHERE EXISTS (SELECT 1 FROM json_each(CASE WHEN "
                    + "json_valid(" + col + ") THEN " + col + " ELSE json_array(" + col + ") END) je WHERE je.value = ?)",
                    List.of(value));
        }
        return query(collection, "SELECT * FROM " + table + " WHERE " + col + " = ?", List.of(f.dbValue(value)));
    }

    List<Record> query(Collection collection, String sql, List<?> params) {
        return app.db().query(sql, params, rs -> Record.fromRow(collection, row(rs)));
    }

    static Map<String, Object> row(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnLabel(i), rs.getObject(i));
        }
        return row;
    }
}
