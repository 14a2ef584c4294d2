package io.pocketbus.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Field;
import io.pocketbus.core.JsonField;
import io.pocketbus.core.GeoPointField;
import io.pocketbus.core.Record;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening PocketBase's own data directory loses nothing: schemas and values come back as stored. */
class FixtureRoundTripTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path temp;
    App app;

    @BeforeEach
    void open() {
        app = Fixtures.fixtureApp(temp);
    }

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void collectionFieldsAndOptionsRoundTripExactly() throws Exception {
        List<Map<String, String>> rows = app.db().query("SELECT id, fields, options, indexes FROM _collections",
                List.of(), rs -> Map.of("id", rs.getString(1), "fields", rs.getString(2), "options", rs.getString(3),
                        "indexes", rs.getString(4)));
        for (Map<String, String> row : rows) {
            Collection c = app.findCollectionByNameOrId(row.get("id")).orElseThrow();
            String fields = MAPPER.writeValueAsString(c.fields().stream().map(Field::toMap).toList());
            assertThat(MAPPER.readTree(fields)).as(c.name()).isEqualTo(MAPPER.readTree(row.get("fields")));
            assertThat(fields).as(c.name() + " key order").isEqualTo(MAPPER.writeValueAsString(MAPPER.readTree(row.get("fields"))));
            JsonNode options = MAPPER.readTree(row.get("options"));
            Map<String, Object> full = c.toMap(true);
            options.fieldNames().forEachRemaining(k -> {
                JsonNode mine = MAPPER.valueToTree(full.get(k));
                assertThat(mine).as(c.name() + "." + k).isEqualTo(options.get(k));
            });
            JsonNode indexes = MAPPER.valueToTree(c.indexes());
            assertThat(indexes).isEqualTo(MAPPER.readTree(row.get("indexes")));
        }
    }

    @Test
    void apiFormHasPocketBaseKeyOrderAndNoSecrets() {
        Collection su = app.findCollectionByNameOrId("_superusers").orElseThrow();
        Map<String, Object> json = su.toMap();
        assertThat(List.copyOf(json.keySet()).subList(0, 13)).containsExactly("id", "listRule", "viewRule",
                "createRule", "updateRule", "deleteRule", "name", "type", "fields", "indexes", "created", "updated",
                "system");
        assertThat(json.get("authToken").toString()).doesNotContain("secret").contains("duration");
        assertThat(app.findCollectionByNameOrId("view1").orElseThrow().toMap()).containsKey("viewQuery");
    }

    @Test
    void everyStoredValueSurvivesLoading() {
        for (Collection c : app.collections()) {
            List<Map<String, Object>> raw = app.db().query("SELECT * FROM `" + c.tableName() + "`", List.of(),
                    FixtureRoundTripTest::row);
            List<Record> records = app.findRecordsBySql(c, "SELECT * FROM `" + c.tableName() + "`", List.of());
            assertThat(records).hasSameSizeAs(raw);
            for (int i = 0; i < raw.size(); i++) {
                Record r = records.get(i);
                for (Field f : c.fields()) {
                    Object stored = raw.get(i).get(f.name());
                    Object written = f.dbValue(r.get(f.name()));
                    if (f instanceof JsonField || f instanceof GeoPointField) {
                        assertThat(json(written)).as(c.name() + "." + f.name()).isEqualTo(json(stored));
                    } else if (stored instanceof Number n) {
                        assertThat(Double.parseDouble(String.valueOf(written instanceof Boolean b ? (b ? 1 : 0) : written)))
                                .as(c.name() + "." + f.name()).isEqualTo(n.doubleValue());
                    } else if (c.isView()) {
                        assertThat(String.valueOf(written)).isNotNull();
                    } else {
                        assertThat(written).as(c.name() + "." + f.name() + " of " + r.id()).isEqualTo(stored);
                    }
                }
            }
        }
    }

    private static JsonNode json(Object text) {
        try {
            return text == null ? null : MAPPER.readTree(text.toString());
        } catch (Exception e) {
            return MAPPER.valueToTree(text);
        }
    }

    private static Map<String, Object> row(ResultSet rs) throws java.sql.SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
            m.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
        }
        return m;
    }
}
