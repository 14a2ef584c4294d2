package io.pocketbus.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.CollectionType;
import io.pocketbus.core.Field;
import io.pocketbus.core.NumberField;
import io.pocketbus.core.Record;
import io.pocketbus.core.Scaffolds;
import io.pocketbus.core.SelectField;
import io.pocketbus.core.TextField;
import io.pocketbus.core.ValidationError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectionsTest {
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

    private List<String> columns(String table) {
        return app.db().query("SELECT name FROM pragma_table_info(?)", List.of(table), rs -> rs.getString(1));
    }

    private String schemaOf(String table) {
        return app.db().queryOne("SELECT sql FROM sqlite_master WHERE name = ?", List.of(table), rs -> rs.getString(1))
                .orElse("");
    }

    private Collection posts() throws Exception {
        Collection c = Collection.fromJson(MAPPER.readTree("""
                {"name":"posts","type":"base","listRule":"","fields":[
                  {"name":"title","type":"text","required":true,"max":20},
                  {"name":"views","type":"number","onlyInt":true},
                  {"name":"tag","type":"select","values":["a","b","c"],"maxSelect":1},
                  {"name":"author","type":"relation","collectionId":"_pb_users_auth_","maxSelect":1}
                ],"indexes":["CREATE UNIQUE INDEX idx_posts_title ON whatever (title)"]}"""));
        List<Field> fields = new ArrayList<>(c.fields());
        fields.add(0, Scaffolds.idField());
        c.setFields(fields);
        return c;
    }

    @Test
    void createsTheTableWithPocketBaseDefaults() throws Exception {
        Collection c = posts();
        app.save(c);
        assertThat(c.id()).isEqualTo(Collection.defaultId(CollectionType.BASE, "posts"));
        assertThat(c.field("title").orElseThrow().id()).isEqualTo(Field.defaultId("text", "title"));
        assertThat(c.indexes()).containsExactly("CREATE UNIQUE INDEX `idx_posts_title` ON `posts` (title)");
        assertThat(columns("posts")).containsExactlyInAnyOrder("id", "title", "views", "tag", "author");
        assertThat(app.findCollectionByNameOrId("POSTS")).isPresent();
        Record r = new Record(c).load(Map.of("title", "hello", "views", 3, "tag", "b"));
        app.save(r);
        assertThat(app.findRecordById("posts", r.id()).orElseThrow().toJson())
                .containsEntry("views", 3L).containsEntry("tag", "b").containsEntry("author", "");
    }

    @Test
    void schemaChangesRenameAddDropAndConvert() throws Exception {
        Collection c = posts();
        app.save(c);
        Record r = new Record(c).load(Map.of("title", "keep me", "views", 7, "tag", "c"));
        app.save(r);

        Collection edit = app.findCollectionByNameOrId("posts").orElseThrow().copy();
        edit.field("title").orElseThrow().setName("headline");
        edit.removeField("views");
        ((SelectField) edit.field("tag").orElseThrow()).setMaxSelect(3);
        edit.addField(new NumberField("score"));
        edit.setIndexes(List.of("CREATE UNIQUE INDEX idx_posts_title ON posts (headline)"));
        app.save(edit);

        assertThat(columns("posts")).containsExactly("id", "headline", "tag", "author", "score");
        Record back = app.findRecordById("posts", r.id()).orElseThrow();
        assertThat(back.getString("headline")).isEqualTo("keep me");
        assertThat(back.getStringList("tag")).containsExactly("c");
        assertThat(back.getDouble("score")).isZero();
        assertThat(schemaOf("idx_posts_title")).contains("headline");
    }

    @Test
    void changingATableKeepsTheViewsOverIt() {
        Collection demo1 = app.findCollectionByNameOrId("demo1").orElseThrow().copy();
        demo1.addField(new TextField("extra"));
        app.save(demo1);
        Collection view2 = app.findCollectionByNameOrId("view2").orElseThrow();
        assertThat(app.findRecordsBySql(view2, "SELECT * FROM view2", List.of())).isNotEmpty();
        assertThat(columns("demo1")).contains("extra", "json", "point");
    }

    @Test
    void aFailingChangeLeavesTableAndDefinitionUntouched() throws Exception {
        Collection c = posts();
        app.save(c);
        String tableBefore = schemaOf("posts");
        String rowBefore = app.db().queryOne("SELECT fields FROM _collections WHERE name='posts'", List.of(),
                rs -> rs.getString(1)).orElseThrow();
        app.onCollectionUpdateExecute("posts").bindFunc(e -> {
            e.next();
            throw ApiError.badRequest("rejected after the alter");
        });
        Collection edit = app.findCollectionByNameOrId("posts").orElseThrow().copy();
        edit.removeField("views");
        edit.addField(new TextField("extra"));
        assertThatThrownBy(() -> app.save(edit)).hasMessage("Rejected after the alter.");
        assertThat(schemaOf("posts")).isEqualTo(tableBefore);
        assertThat(app.db().queryOne("SELECT fields FROM _collections WHERE name='posts'", List.of(),
                rs -> rs.getString(1)).orElseThrow()).isEqualTo(rowBefore);
        assertThat(app.findCollectionByNameOrId("posts").orElseThrow().field("extra")).isEmpty();
    }

    @Test
    void validationErrorsUsePocketBaseCodes() throws Exception {
        Collection dup = Scaffolds.newBase("DEMO1");
        assertThatThrownBy(() -> app.save(dup)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.message()).isEqualTo("Failed to create collection.");
            assertThat(((ValidationError) e.data().get("name")).code()).isEqualTo("validation_collection_name_exists");
        });
        Collection typeChange = app.findCollectionByNameOrId("demo1").orElseThrow().copy();
        Collection asAuth = Collection.fromJson(MAPPER.valueToTree(Map.of("id", typeChange.id(), "name", "demo1",
                "type", "auth")));
        assertThatThrownBy(() -> app.save(asAuth)).isInstanceOfSatisfying(ApiError.class, e ->
                assertThat(((ValidationError) e.data().get("type")).code()).isEqualTo("validation_collection_type_change"));
        Collection reusedId = Scaffolds.newBase("another");
        reusedId.setId(app.findCollectionByNameOrId("demo1").orElseThrow().id());
        assertThatThrownBy(() -> app.save(reusedId.markAsNew())).isInstanceOfSatisfying(ApiError.class, e ->
                assertThat(((ValidationError) e.data().get("id")).code()).isEqualTo("validation_invalid_or_existing_id"));
        assertThat(app.findCollectionByNameOrId("demo1")).isPresent();
        Collection badIndex = Scaffolds.newBase("with_index");
        badIndex.setIndexes(List.of("CREATE INDEX idx_x ON with_index (missing)", "not an index"));
        assertThatThrownBy(() -> app.save(badIndex)).isInstanceOfSatisfying(ApiError.class, e ->
                assertThat(e.data()).containsKey("indexes"));
        assertThat(app.findCollectionByNameOrId("with_index")).isEmpty();
    }

    @Test
    void systemAndReferencedCollectionsCannotBeDeleted() {
        assertThatThrownBy(() -> app.delete(app.findCollectionByNameOrId("_superusers").orElseThrow()))
                .isInstanceOf(ApiError.class);
        assertThatThrownBy(() -> app.delete(app.findCollectionByNameOrId("demo3").orElseThrow()))
                .hasMessage("Failed to delete collection due to existing dependency.");
        List<String> fired = new ArrayList<>();
        app.onCollectionAfterDeleteSuccess("demo5").bindFunc(e -> { fired.add(e.collection().name()); e.next(); });
        app.delete(app.findCollectionByNameOrId("demo5").orElseThrow());
        assertThat(app.findCollectionByNameOrId("demo5")).isEmpty();
        assertThat(schemaOf("demo5")).isEmpty();
        assertThat(fired).containsExactly("demo5");
    }

    @Test
    void viewCollectionsInferTheirFields() {
        Collection v = Scaffolds.newView("titles", "SELECT d.id, d.title AS heading, d.active, count(*) AS n FROM demo2 d GROUP BY d.id");
        v.setListRule(java.util.Optional.of(""));
        app.save(v);
        Collection saved = app.findCollectionByNameOrId("titles").orElseThrow();
        assertThat(saved.fields()).extracting(Field::name).containsExactly("id", "heading", "active", "n");
        assertThat(saved.fields()).extracting(Field::type).containsExactly("text", "text", "bool", "number");
        List<Record> rows = app.findRecordsBySql(saved, "SELECT * FROM titles", List.of());
        assertThat(rows).hasSize(3);
        assertThatThrownBy(() -> app.save(new Record(saved))).isInstanceOf(ApiError.class);

        Collection broken = Scaffolds.newView("broken", "SELECT nope FROM nowhere");
        assertThatThrownBy(() -> app.save(broken)).isInstanceOfSatisfying(ApiError.class, e ->
                assertThat(((ValidationError) e.data().get("viewQuery")).code()).isEqualTo("validation_invalid_view_query"));
    }

    @Test
    void resavingFixtureViewsInfersThePocketBaseFields() {
        for (String name : List.of("view1", "view2", "numeric_id_view")) {
            Collection stored = app.findCollectionByNameOrId(name).orElseThrow();
            List<String> before = stored.fields().stream().map(f -> f.name() + ":" + f.type() + ":" + f.id()).toList();
            Collection copy = stored.copy();
            app.save(copy);
            List<String> after = app.findCollectionByNameOrId(name).orElseThrow().fields().stream()
                    .map(f -> f.name() + ":" + f.type() + ":" + f.id()).toList();
            assertThat(after).as(name).isEqualTo(before);
        }
    }

    @Test
    void authCollectionsGetSystemFieldsAndIndexes() {
        Collection c = new Collection(CollectionType.AUTH, "members");
        app.save(c);
        Collection saved = app.findCollectionByNameOrId("members").orElseThrow();
        assertThat(saved.fields()).extracting(Field::name)
                .containsExactly("id", "password", "tokenKey", "email", "emailVisibility", "verified");
        assertThat(saved.indexes()).hasSize(2);
        assertThat(saved.auth().tokenSecret(io.pocketbus.core.AuthOptions.TokenType.AUTH)).hasSize(50);
        Record m = new Record(saved).load(Map.of("email", "m@example.com", "password", "12345678"));
        app.save(m);
        Record dup = new Record(saved).load(Map.of("email", "M@example.com", "password", "12345678"));
        assertThatThrownBy(() -> app.save(dup)).isInstanceOfSatisfying(ApiError.class, e ->
                assertThat(((ValidationError) e.data().get("email")).code()).isEqualTo("validation_not_unique"));
    }

    @Test
    void truncateAndImport() throws Exception {
        app.truncate(app.findCollectionByNameOrId("demo2").orElseThrow());
        assertThat(app.db().queryOne("SELECT COUNT(*) FROM demo2", List.of(), rs -> rs.getInt(1))).contains(0);

        Collection extra = posts();
        app.importCollections(List.of(extra), false);
        assertThat(app.findCollectionByNameOrId("posts")).isPresent();

        Collection bad = Collection.fromJson(MAPPER.readTree("{\"name\":\"bad name!\",\"type\":\"base\"}"));
        assertThatThrownBy(() -> app.importCollections(List.of(bad), false)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(((ValidationError) e.data().get("collections")).code())
                        .isEqualTo("validation_collections_import_failure"));
    }

    @Test
    void importWithDeleteMissingRemovesWhatIsNotListed() {
        List<Collection> exported = new ArrayList<>();
        for (Collection c : app.collections()) {
            if (!c.name().equals("demo5")) {
                exported.add(Collection.fromJson(MAPPER.valueToTree(c.toMap())));
            }
        }
        app.importCollections(exported, true);
        assertThat(app.findCollectionByNameOrId("demo5")).isEmpty();
        assertThat(schemaOf("demo5")).isEmpty();
        assertThat(app.collections()).hasSize(exported.size());
        assertThat(app.findAuthRecordByToken(TokensTest.USER_TOKEN, io.pocketbus.core.AuthOptions.TokenType.AUTH))
                .isPresent();
        assertThat(app.findRecordById("demo1", "84nmscqy84lsi1t")).isPresent();
    }

    @Test
    void everySaveEnsuresTheIdFieldAndAuthSystemFields() throws Exception {
        Collection bare = Collection.fromJson(MAPPER.readTree(
                "{\"name\":\"bare\",\"type\":\"base\",\"fields\":[{\"name\":\"title\",\"type\":\"text\"}]}"));
        app.save(bare);
        assertThat(app.findCollectionByNameOrId("bare").orElseThrow().fields()).extracting(Field::name)
                .containsExactly("id", "title");
        Collection users = app.findCollectionByNameOrId("users").orElseThrow().copy();
        users.removeField("verified");
        assertThatThrownBy(() -> app.save(users)).isInstanceOfSatisfying(ApiError.class, e ->
                assertThat(((ValidationError) e.data().get("fields")).code()).isEqualTo("validation_system_field_change"));
        assertThat(app.findCollectionByNameOrId("users").orElseThrow().field("verified")).isPresent();
    }

    @Test
    void scaffoldsHaveEmptyIdAndName() {
        Map<String, Object> s = Scaffolds.scaffolds();
        assertThat(s).containsOnlyKeys("auth", "base", "view");
        @SuppressWarnings("unchecked")
        Map<String, Object> base = (Map<String, Object>) s.get("base");
        assertThat(base).containsEntry("id", "").containsEntry("name", "").containsEntry("type", "base");
    }
}
