package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.Collection;
import io.pocketbus.core.CollectionType;
import io.pocketbus.core.Field;
import io.pocketbus.core.NumberField;
import io.pocketbus.core.Record;
import io.pocketbus.core.TextField;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionApiTest {
    private static final String SU = "_superusers";
    private static final String ADMIN = "test@example.com";

    @TempDir
    Path tmp;

    @Test
    void onlySuperusers() {
        ApiScenario.of("guest").request("GET", "/api/collections").status(401).run(tmp);
        ApiScenario.of("user").request("GET", "/api/collections").auth("users", ADMIN).status(403).run(tmp);
    }

    @Test
    void listViewAndScaffolds() {
        ApiScenario.of("list").request("GET", "/api/collections?filter=type%3D%27view%27&sort=name")
                .auth(SU, ADMIN).status(200)
                .contains("\"totalItems\":3", "\"name\":\"numeric_id_view\"", "\"viewQuery\":").run(tmp);
        ApiScenario.of("invalid filter").request("GET", "/api/collections?filter=unknown%3D1").auth(SU, ADMIN)
                .status(400).run(tmp);
        ApiScenario.of("view").request("GET", "/api/collections/demo2").auth(SU, ADMIN).status(200)
                .contains("{\"id\":\"", "\"listRule\":\"\"", "\"name\":\"demo2\"", "\"type\":\"base\"").run(tmp);
        ApiScenario.of("view missing").request("GET", "/api/collections/missing").auth(SU, ADMIN).status(404)
                .run(tmp);
        ApiScenario.of("scaffolds").request("GET", "/api/collections/meta/scaffolds").auth(SU, ADMIN).status(200)
                .contains("{\"auth\":{\"id\":\"\"", "\"base\":{", "\"view\":{").run(tmp);
    }

    @Test
    void createUpdateTruncateDelete() {
        ApiScenario.of("create").request("POST", "/api/collections").auth(SU, ADMIN)
                .json("{\"name\":\"posts\",\"type\":\"base\",\"listRule\":\"\",\"fields\":["
                        + "{\"name\":\"title\",\"type\":\"text\",\"required\":true}]}")
                .status(200).contains("\"name\":\"posts\"", "\"listRule\":\"\"", "\"name\":\"title\"")
                .after(app -> assertThat(app.findCollectionByNameOrId("posts")).isPresent()).run(tmp);
        ApiScenario.of("create invalid").request("POST", "/api/collections").auth(SU, ADMIN)
                .json("{\"name\":\"demo2\"}").status(400).contains("\"message\":\"Failed to create collection.\"",
                        "\"name\":{\"code\":").run(tmp);
        ApiScenario.of("create with an existing id").request("POST", "/api/collections").auth(SU, ADMIN)
                .json("{\"name\":\"other\",\"id\":\"_pb_users_auth_\"}").status(400)
                .contains("\"id\":{\"code\":\"validation_invalid_or_existing_id\"")
                .after(app -> assertThat(app.findCollectionByNameOrId("users")).isPresent()).run(tmp);
        ApiScenario.of("invalid rule").request("PATCH", "/api/collections/demo2").auth(SU, ADMIN)
                .json("{\"listRule\":\"missing_field = 1\"}").status(400)
                .contains("\"message\":\"Failed to update collection.\"", "\"listRule\":{\"code\":\"validation_invalid_rule\"")
                .run(tmp);
        ApiScenario.of("update").request("PATCH", "/api/collections/demo2").auth(SU, ADMIN)
                .json("{\"listRule\":null}").status(200).contains("\"listRule\":null")
                .after(app -> assertThat(app.findCollectionByNameOrId("demo2").orElseThrow().listRule()).isEmpty())
                .run(tmp);
        ApiScenario.of("truncate").request("DELETE", "/api/collections/demo2/truncate").auth(SU, ADMIN)
                .status(204).after(app -> assertThat(app.findRecordById("demo2", "llvuca81nly1qls")).isEmpty())
                .run(tmp);
        ApiScenario.of("truncate view").request("DELETE", "/api/collections/view2/truncate").auth(SU, ADMIN)
                .status(400).run(tmp);
        ApiScenario.of("delete system").request("DELETE", "/api/collections/_superusers").auth(SU, ADMIN)
                .status(400).run(tmp);
        ApiScenario.of("delete").request("DELETE", "/api/collections/view2").auth(SU, ADMIN).status(204)
                .after(app -> assertThat(app.findCollectionByNameOrId("view2")).isEmpty()).run(tmp);
    }

    @Test
    void importCollections() {
        ApiScenario.of("import empty").request("PUT", "/api/collections/import").auth(SU, ADMIN)
                .json("{\"collections\":[]}").status(400).contains("\"collections\":{\"code\":\"validation_required\"")
                .run(tmp);
        ApiScenario.of("import new").request("PUT", "/api/collections/import").auth(SU, ADMIN)
                .json("{\"collections\":[{\"name\":\"imported\",\"type\":\"base\",\"fields\":["
                        + "{\"name\":\"id\",\"type\":\"text\",\"primaryKey\":true,\"required\":true,\"min\":15,"
                        + "\"max\":15,\"pattern\":\"^[a-z0-9]+$\",\"autogeneratePattern\":\"[a-z0-9]{15}\"},"
                        + "{\"name\":\"note\",\"type\":\"text\"}]}],\"deleteMissing\":false}")
                .status(204).after(app -> assertThat(app.findCollectionByNameOrId("imported")).isPresent()).run(tmp);
    }

    @Test
    void swappingTwoFieldNamesInOneSaveKeepsEachColumnsValues() {
        ApiScenario.of("swap a and b").request("PATCH", "/api/collections/swapped").auth(SU, ADMIN)
                .before(app -> {
                    Collection c = new Collection(CollectionType.BASE, "swapped");
                    c.addField(withId(new TextField("a"), "fielda"));
                    c.addField(withId(new NumberField("b"), "fieldb"));
                    c.addField(withId(new TextField("c"), "fieldc"));
                    app.save(c);
                    Record r = new Record(app.findCollectionByNameOrId("swapped").orElseThrow());
                    r.set("id", "swaprecord00001").set("a", "text of a").set("b", 42).set("c", "text of c");
                    app.save(r);
                })
                .json("{\"fields\":[{\"id\":\"fielda\",\"name\":\"b\",\"type\":\"text\"},"
                        + "{\"id\":\"fieldb\",\"name\":\"c\",\"type\":\"number\"},"
                        + "{\"id\":\"fieldc\",\"name\":\"a\",\"type\":\"text\"}]}")
                .status(200)
                .after(app -> {
                    Record r = app.findRecordById("swapped", "swaprecord00001").orElseThrow();
                    assertThat(r.getString("b")).isEqualTo("text of a");
                    assertThat(r.getDouble("c")).isEqualTo(42);
                    assertThat(r.getString("a")).isEqualTo("text of c");
                })
                .run(tmp);
        ApiScenario.of("swapped names read back through the records API").request("GET",
                        "/api/collections/swapped/records/swaprecord00001").auth(SU, ADMIN)
                .before(app -> {
                    Collection c = new Collection(CollectionType.BASE, "swapped");
                    c.addField(withId(new TextField("a"), "fielda"));
                    c.addField(withId(new TextField("b"), "fieldb"));
                    app.save(c);
                    Record r = new Record(app.findCollectionByNameOrId("swapped").orElseThrow());
                    r.set("id", "swaprecord00001").set("a", "first").set("b", "second");
                    app.save(r);
                    Collection changed = app.findCollectionByNameOrId("swapped").orElseThrow().copy();
                    changed.fieldById("fielda").orElseThrow().setName("b");
                    changed.fieldById("fieldb").orElseThrow().setName("a");
                    app.save(changed);
                })
                .status(200).contains("\"a\":\"second\"", "\"b\":\"first\"").run(tmp);
    }

    private static Field withId(Field field, String id) {
        field.setId(id);
        return field;
    }
}
