package io.pocketbus.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordTest {
    static Collection posts() {
        Collection c = new Collection(CollectionType.BASE, "posts");
        c.setId("pbc_posts");
        c.setFields(List.of(Scaffolds.idField(), new TextField("title").setAutogeneratePattern("[0-9]{3}"),
                new NumberField("total"), new SelectField("tags").setValues(List.of("a", "b", "c")).setMaxSelect(3),
                new RelationField("rel").setCollectionId("x").setMaxSelect(5),
                new TextField("secret"), new JsonField("meta")));
        c.field("secret").orElseThrow().setHidden(true);
        return c;
    }

    @Test
    void modifiersApplyAfterPlainValuesShortestKeyFirst() {
        Record r = new Record(posts());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total-", 1);
        body.put("total+", 4);
        body.put("total", 10);
        body.put("tags", List.of("b"));
        body.put("+tags", "a");
        body.put("tags+", List.of("c"));
        body.put("unknown", "ignored");
        r.load(body);
        assertThat(r.getDouble("total")).isEqualTo(13);
        assertThat(r.getStringList("tags")).containsExactly("a", "b", "c");
        r.load(Map.of("tags-", List.of("b", "a")));
        assertThat(r.getStringList("tags")).containsExactly("c");
        assertThat(r.get("unknown")).isNull();
    }

    @Test
    void resolveModifiersGivesTheValuesRulesSee() {
        Record r = new Record(posts()).load(Map.of("tags", List.of("a")));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("total+", 4);
        body.put("total-", 1);
        body.put("tags+", "b");
        body.put("other", "kept");
        Map<String, Object> resolved = r.resolveModifiers(body);
        assertThat(resolved).containsOnlyKeys("total", "tags", "other");
        assertThat(resolved.get("total")).isEqualTo(3.0);
        assertThat(resolved.get("tags")).isEqualTo(List.of("a", "b"));
        assertThat(r.getDouble("total")).isZero();
    }

    @Test
    void autogenerateUsesTheGivenValueAsPrefix() {
        Record r = new Record(posts()).load(Map.of("title:autogenerate", "p-"));
        assertThat(r.getString("title")).matches("p-[0-9]{3}");
    }

    @Test
    void jsonExportIsSortedHidesHiddenFieldsAndAddsCollectionInfo() {
        Record r = new Record(posts()).load(Map.of("id", "abcdefghijklmno", "title", "t", "secret", "s", "total", 2));
        Map<String, Object> json = r.toJson();
        assertThat(new ArrayList<>(json.keySet())).isSorted()
                .containsExactly("collectionId", "collectionName", "id", "meta", "rel", "tags", "title", "total");
        assertThat(json).containsEntry("total", 2L).containsEntry("rel", List.of()).containsEntry("collectionId", "pbc_posts");
        assertThat(r.withHiddenFields(true).toJson()).containsEntry("secret", "s");
        r.withHiddenFields(false).unhide("secret").hide("title").set("computed", 1);
        assertThat(r.toJson()).containsKey("secret").doesNotContainKeys("title", "computed");
        assertThat(r.withCustomData(true).toJson()).containsEntry("computed", 1);
        r.unhide("title");
        r.initExpand();
        assertThat(r.toJson()).containsEntry("expand", Map.of());
    }

    @Test
    void collectionJsonRoundTripsWithPocketBaseKeyOrder() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Collection auth = Scaffolds.scaffold(CollectionType.AUTH, "members");
        auth.setId(Collection.defaultId(CollectionType.AUTH, "members"));
        Map<String, Object> full = auth.toMap(true);
        Collection back = Collection.fromJson(mapper.valueToTree(full));
        assertThat(mapper.writeValueAsString(back.toMap(true))).isEqualTo(mapper.writeValueAsString(full));
        assertThat(List.copyOf(full.keySet()).subList(13, 16)).containsExactly("authRule", "manageRule", "authAlert");
        assertThat(Collection.defaultId(CollectionType.AUTH, "_superusers")).isEqualTo("pbc_3142635823");
    }

    @Test
    void apiErrorsHavePocketBaseShape() {
        ApiError e = ApiError.badRequest("failed to create record", Map.of("title", ValidationError.required()));
        assertThat(e.toMap()).containsExactly(
                Map.entry("data", Map.of("title", Map.of("code", "validation_required", "message", "Cannot be blank."))),
                Map.entry("message", "Failed to create record."),
                Map.entry("status", 400));
        assertThat(ApiError.notFound("").message()).isEqualTo("The requested resource wasn't found.");
    }
}
