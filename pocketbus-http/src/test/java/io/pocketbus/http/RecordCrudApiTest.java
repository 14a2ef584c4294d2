package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.Collection;
import io.pocketbus.core.CollectionType;
import io.pocketbus.core.Record;
import io.pocketbus.core.TextField;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordCrudApiTest {
    @TempDir
    Path tmp;

    @Test
    void listUnknownCollection() {
        ApiScenario.of("unknown collection").request("GET", "/api/collections/missing/records").status(404)
                .contains("\"data\":{}", "\"message\":\"Missing collection context.\"", "\"status\":404").run(tmp);
    }

    @Test
    void listWithNullRuleAsGuest() {
        ApiScenario.of("null listRule").request("GET", "/api/collections/demo1/records").status(403)
                .contains("\"message\":\"Only superusers can perform this action.\"").run(tmp);
    }

    @Test
    void listPublicCollection() {
        ApiScenario.of("public list").request("GET", "/api/collections/demo2/records").status(200)
                .responseHeader("Content-Type", "application/json").responseHeader("X-Frame-Options", "SAMEORIGIN")
                .responseHeader("X-Content-Type-Options", "nosniff")
                .contains("\"page\":1", "\"perPage\":30", "\"totalItems\":3", "\"totalPages\":1",
                        "\"collectionName\":\"demo2\"", "\"id\":\"llvuca81nly1qls\"")
                .run(tmp);
    }

    @Test
    void listWithFilterSortPagingAndSkipTotal() {
        String body = ApiScenario.of("filter+sort").request("GET",
                        "/api/collections/demo2/records?filter=title~%27test%27&sort=-title&perPage=2&page=1&skipTotal=1")
                .status(200).contains("\"perPage\":2", "\"totalItems\":-1", "\"totalPages\":-1").run(tmp);
        assertThat(body.indexOf("\"title\":\"test3\"")).isLessThan(body.indexOf("\"title\":\"test2\""));
        assertThat(body).doesNotContain("\"title\":\"test1\"");
    }

    @Test
    void listWithInvalidFilterOrSuperuserOnlyFields() {
        ApiScenario.of("invalid filter").request("GET", "/api/collections/demo2/records?filter=title~~").status(400)
                .contains("\"message\":\"Something went wrong while processing your request.\"").run(tmp);
        ApiScenario.of("@request in client filter").request("GET",
                        "/api/collections/demo2/records?filter=%40request.auth.id%3D%27%27").status(403)
                .contains("Only superusers can filter by @request.").run(tmp);
        ApiScenario.of("invalid page").request("GET", "/api/collections/demo2/records?page=abc").status(400)
                .contains("{\"data\":{},\"message\":\"Something went wrong while processing your request.\"")
                .run(tmp);
        ApiScenario.of("invalid sort").request("GET", "/api/collections/demo2/records?sort=unknown_field")
                .status(400).run(tmp);
        ApiScenario.of("sql injection attempt").request("GET",
                        "/api/collections/demo2/records?filter=title%3D%27x%27%3BDROP%20TABLE%20demo2%3B--")
                .status(400).after(app -> assertThat(app.findCollectionByNameOrId("demo2")).isPresent()).run(tmp);
    }

    @Test
    void listFieldsPicker() {
        ApiScenario.of("fields").request("GET", "/api/collections/demo2/records?fields=id,title:excerpt(3,true)")
                .status(200).contains("{\"id\":\"llvuca81nly1qls\",\"title\":\"tes...\"}")
                .notContains("collectionName").run(tmp);
    }

    @Test
    void viewRecord() {
        ApiScenario.of("view").request("GET", "/api/collections/demo2/records/llvuca81nly1qls").status(200)
                .contains("\"active\":false", "\"collectionId\":", "\"id\":\"llvuca81nly1qls\"", "\"title\":\"test1\"")
                .run(tmp);
        ApiScenario.of("view missing").request("GET", "/api/collections/demo2/records/missing").status(404)
                .contains("\"message\":\"The requested resource wasn't found.\"").run(tmp);
        ApiScenario.of("view failing rule").request("GET", "/api/collections/users/records/4q1xlclmfloku33")
                .status(404).run(tmp);
        ApiScenario.of("view null rule").request("GET", "/api/collections/demo1/records/84nmscqy84lsi1t")
                .status(403).run(tmp);
    }

    @Test
    void createRecord() {
        ApiScenario.of("create json").request("POST", "/api/collections/demo2/records")
                .json("{\"title\":\"new one\",\"active\":true,\"unknown\":1}").status(200)
                .events(java.util.Map.of("onRecordValidate", 1, "onRecordCreate", 1, "onRecordCreateExecute", 1,
                        "onRecordAfterCreateSuccess", 1, "onRecordEnrich", 1))
                .contains("\"title\":\"new one\"", "\"active\":true", "\"collectionName\":\"demo2\"")
                .after(app -> assertThat(app.findRecordsByField(app.findCollectionByNameOrId("demo2").orElseThrow(),
                        "title", "new one")).hasSize(1))
                .run(tmp);
        ApiScenario.of("create urlencoded").request("POST", "/api/collections/demo2/records")
                .body("application/x-www-form-urlencoded", "title=form+one&active=true").status(200)
                .contains("\"title\":\"form one\"", "\"active\":true").run(tmp);
        ApiScenario.of("create multipart").request("POST", "/api/collections/demo2/records")
                .body("multipart/form-data; boundary=b1", "--b1\r\nContent-Disposition: form-data; "
                        + "name=\"@jsonPayload\"\r\n\r\n{\"title\":\"multi\"}\r\n--b1--\r\n")
                .status(200).contains("\"title\":\"multi\"").run(tmp);
    }

    @Test
    void createFailures() {
        ApiScenario.of("create validation").request("POST", "/api/collections/demo2/records")
                .json("{\"title\":\"\"}").status(400)
                .events(java.util.Map.of("onRecordValidate", 1, "onRecordCreate", 1,
                        "onRecordAfterCreateError", 1))
                .contains("\"message\":\"Failed to create record.\"", "\"title\":{\"code\":\"validation_required\"")
                .run(tmp);
        ApiScenario.of("create malformed").request("POST", "/api/collections/demo2/records")
                .json("{\"title\":").status(400).contains("\"message\":\"Failed to read the submitted data.\"")
                .run(tmp);
        ApiScenario.of("create null rule").request("POST", "/api/collections/demo1/records").json("{}")
                .status(403).events(java.util.Map.of()).run(tmp);
        ApiScenario.of("create failing rule").request("POST", "/api/collections/demo4/records")
                .json("{\"title\":\"x\"}").status(400).contains("\"message\":\"Failed to create record.\"").run(tmp);
        ApiScenario.of("create in view").request("POST", "/api/collections/view2/records").json("{}")
                .status(400).contains("\"message\":\"Unsupported collection type.\"").run(tmp);
        ApiScenario.of("create rule sees @request.body after modifiers")
                .request("POST", "/api/collections/demo5/records").json("{\"total+\":4,\"total-\":1}")
                .status(200).contains("\"total\":3").run(tmp);
    }

    @Test
    void updateRecord() {
        ApiScenario.of("update").request("PATCH", "/api/collections/demo2/records/llvuca81nly1qls")
                .json("{\"title\":\"changed\"}").status(200).contains("\"title\":\"changed\"")
                .events(java.util.Map.of("onRecordValidate", 1, "onRecordUpdate", 1, "onRecordUpdateExecute", 1,
                        "onRecordAfterUpdateSuccess", 1, "onRecordEnrich", 1))
                .after(app -> assertThat(app.findRecordById("demo2", "llvuca81nly1qls").orElseThrow()
                        .getString("title")).isEqualTo("changed"))
                .run(tmp);
        ApiScenario.of("update empty body").request("PATCH", "/api/collections/demo2/records/llvuca81nly1qls")
                .status(200).contains("\"title\":\"test1\"").run(tmp);
        ApiScenario.of("update missing").request("PATCH", "/api/collections/demo2/records/missing")
                .json("{}").status(404).run(tmp);
        ApiScenario.of("update invalid").request("PATCH", "/api/collections/demo2/records/llvuca81nly1qls")
                .json("{\"title\":\"\"}").status(400).contains("\"message\":\"Failed to update record.\"")
                .after(app -> assertThat(app.findRecordById("demo2", "llvuca81nly1qls").orElseThrow()
                        .getString("title")).isEqualTo("test1"))
                .run(tmp);
    }

    @Test
    void deleteRecord() {
        ApiScenario.of("delete").request("DELETE", "/api/collections/demo2/records/llvuca81nly1qls").status(204)
                // users/4q1xlclmfloku33 references the record through a non-required relation: it is unlinked
                .events(java.util.Map.of("onRecordDelete", 1, "onRecordDeleteExecute", 1,
                        "onRecordAfterDeleteSuccess", 1, "onRecordUpdate", 1, "onRecordUpdateExecute", 1,
                        "onRecordAfterUpdateSuccess", 1))
                .after(app -> assertThat(app.findRecordById("demo2", "llvuca81nly1qls")).isEmpty()).run(tmp);
        ApiScenario.of("delete null rule").request("DELETE", "/api/collections/demo1/records/84nmscqy84lsi1t")
                .status(403).after(app -> assertThat(app.findRecordById("demo1", "84nmscqy84lsi1t")).isPresent())
                .run(tmp);
        ApiScenario.of("delete failing rule").request("DELETE", "/api/collections/users/records/4q1xlclmfloku33")
                .status(404).run(tmp);
    }

    @Test
    void expandRespectsTheRelatedViewRule() {
        ApiScenario.of("expand self relations").request("GET",
                        "/api/collections/demo4/records/qzaqccwrmva4o1n?expand=self_rel_one,self_rel_many")
                .status(200).contains("\"expand\":{\"self_rel_many\":[{", "\"self_rel_one\":{\"collectionId\"")
                .run(tmp);
        ApiScenario.of("expand hidden by viewRule").request("GET",
                        "/api/collections/demo4/records/qzaqccwrmva4o1n?expand=rel_one_cascade")
                .status(200).notContains("\"rel_one_cascade\":{").run(tmp);
        ApiScenario.of("expand for a superuser").request("GET",
                        "/api/collections/demo4/records/qzaqccwrmva4o1n?expand=rel_one_cascade")
                .auth("_superusers", "test@example.com").status(200)
                .contains("\"expand\":{\"rel_one_cascade\":{").run(tmp);
    }

    @Test
    void requestHooksWrapTheActions() {
        ApiScenario.of("create hook changes the record").request("POST", "/api/collections/demo2/records")
                .hooks(h -> h.onRecordCreateRequest("demo2").bindFunc(ev -> {
                    ev.record().set("title", ev.record().getString("title") + " (hooked)");
                    ev.next();
                }))
                .json("{\"title\":\"plain\"}").status(200).contains("\"title\":\"plain (hooked)\"").run(tmp);
        ApiScenario.of("hook for another collection does not run").request("POST", "/api/collections/demo2/records")
                .hooks(h -> h.onRecordCreateRequest("demo1").bindFunc(ev -> {
                    throw io.pocketbus.core.ApiError.forbidden("");
                }))
                .json("{\"title\":\"plain\"}").status(200).run(tmp);
        ApiScenario.of("delete hook refuses").request("DELETE", "/api/collections/demo2/records/llvuca81nly1qls")
                .hooks(h -> h.onRecordDeleteRequest().bindFunc(ev -> {
                    throw io.pocketbus.core.ApiError.badRequest("Not today.");
                }))
                .status(400).contains("\"message\":\"Not today.\"").events(java.util.Map.of())
                .after(app -> assertThat(app.findRecordById("demo2", "llvuca81nly1qls")).isPresent()).run(tmp);
        ApiScenario.of("list hook filters records").request("GET", "/api/collections/demo2/records")
                .hooks(h -> h.onRecordsListRequest().bindFunc(ev -> {
                    ev.records().removeIf(r -> !r.id().equals("llvuca81nly1qls"));
                    ev.next();
                }))
                .status(200).contains("\"id\":\"llvuca81nly1qls\"").notContains("achvryl401bhse3").run(tmp);
    }

    @Test
    void aTakenIdIsRefusedAsPocketBaseRefusesIt() {
        ApiScenario.of("default id pattern: the primary key refuses it as not unique")
                .request("POST", "/api/collections/dups/records").auth("_superusers", "test@example.com")
                .before(app -> {
                    Collection c = new Collection(CollectionType.BASE, "dups");
                    c.addField(new TextField("title"));
                    app.save(c);
                    app.save(new Record(app.findCollectionByNameOrId("dups").orElseThrow())
                            .set("id", "existing0000001").set("title", "first"));
                })
                .json("{\"id\":\"existing0000001\",\"title\":\"second\"}")
                .status(400).contains("\"message\":\"Failed to create record.\"",
                        "\"id\":{\"code\":\"validation_not_unique\"")
                .after(app -> assertThat(app.findRecordById("dups", "existing0000001").orElseThrow().getString("title"))
                        .isEqualTo("first"))
                .run(tmp);
        ApiScenario.of("custom id pattern: looked up case-insensitively first")
                .request("POST", "/api/collections/dups/records").auth("_superusers", "test@example.com")
                .before(app -> {
                    Collection c = new Collection(CollectionType.BASE, "dups");
                    TextField id = new TextField("id").setPattern("^[a-zA-Z0-9]+$").setRequired(true).setPrimaryKey(true);
                    id.setSystem(true);
                    c.addField(id);
                    c.addField(new TextField("title"));
                    app.save(c);
                    app.save(new Record(app.findCollectionByNameOrId("dups").orElseThrow())
                            .set("id", "Existing0000001").set("title", "first"));
                })
                .json("{\"id\":\"existing0000001\",\"title\":\"second\"}")
                .status(400).contains("\"id\":{\"code\":\"validation_pk_invalid\"").run(tmp);
    }
}
