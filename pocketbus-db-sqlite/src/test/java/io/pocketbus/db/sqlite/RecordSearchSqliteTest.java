package io.pocketbus.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordSearch;
import io.pocketbus.core.RequestInfo;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The filter language run for real: list queries on a copy of PocketBase's fixture, checked row by row. */
class RecordSearchSqliteTest {

    @TempDir
    static Path temp;

    static App app;

    @BeforeAll
    static void open() {
        app = Fixtures.fixtureApp(temp);
    }

    @AfterAll
    static void close() {
        app.close();
    }

    static RequestInfo as(String collection, String id) {
        Record auth = app.findRecordById(collection, id).orElseThrow();
        return new RequestInfo("default", "GET", Map.of(), Map.of(), Map.of(), Optional.of(auth));
    }

    static RequestInfo guest() {
        return RequestInfo.guest();
    }

    static RequestInfo superuser() {
        return as("_superusers", "sywbhecnh46rhm0");
    }

    static RecordSearch.ListResult list(String collection, RequestInfo info, Map<String, String> params) {
        Collection c = app.findCollectionByNameOrId(collection).orElseThrow();
        return RecordSearch.list(app, c, info, params);
    }

    static List<String> ids(String collection, RequestInfo info, String filter) {
        return list(collection, info, Map.of("filter", filter, "sort", "@rowid")).items().stream().map(Record::id).toList();
    }

    @Test
    void plainFiltersSortAndPaging() {
        assertThat(ids("demo2", guest(), "title ~ 'test'")).containsExactly("llvuca81nly1qls", "achvryl401bhse3",
                "0yxhwia2amd8gec");
        assertThat(ids("demo2", guest(), "active = true")).containsExactly("achvryl401bhse3", "0yxhwia2amd8gec");
        assertThat(ids("demo2", guest(), "active = false || title = 'test3'"))
                .containsExactly("llvuca81nly1qls", "0yxhwia2amd8gec");
        RecordSearch.ListResult page = list("demo2", guest(), Map.of("sort", "-title", "perPage", "2", "page", "2"));
        assertThat(page.items()).extracting(Record::id).containsExactly("llvuca81nly1qls");
        assertThat(page.totalItems()).isEqualTo(3);
        assertThat(page.totalPages()).isEqualTo(2);
        RecordSearch.ListResult skip = list("demo2", guest(), Map.of("skipTotal", "1", "sort", "title"));
        assertThat(skip.items()).extracting(Record::id).containsExactly("llvuca81nly1qls", "achvryl401bhse3",
                "0yxhwia2amd8gec");
        assertThat(skip.totalItems()).isEqualTo(-1);
        assertThat(skip.totalPages()).isEqualTo(-1);
        assertThat(list("demo2", guest(), Map.of("sort", "@random")).items()).hasSize(3);
    }

    @Test
    void multiValuedRelationsAllVersusAny() {
        assertThat(ids("demo4", guest(), "self_rel_many.title ?= 'test2'")).containsExactly("qzaqccwrmva4o1n");
        assertThat(ids("demo4", guest(), "self_rel_many.title = 'test2'")).isEmpty();
        // a record without items has no item that breaks a != comparison
        assertThat(ids("demo4", guest(), "self_rel_many.title != 'test3'"))
                .containsExactly("qzaqccwrmva4o1n", "i9naidtvr6qsgb4");
        assertThat(ids("demo4", guest(), "self_rel_many.title ~ 'test'")).containsExactly("qzaqccwrmva4o1n");
        assertThat(ids("demo4", guest(), "self_rel_one.title = 'test2'")).containsExactly("qzaqccwrmva4o1n");
        RecordSearch.ListResult joined = list("demo4", guest(), Map.of("filter", "self_rel_many.title ?~ 'test'"));
        assertThat(joined.items()).hasSize(1);
        assertThat(joined.totalItems()).isEqualTo(1);
        // qzaq.. points at i9na.. (test2), i9na.. at qzaq.. (test1)
        assertThat(list("demo4", guest(), Map.of("sort", "-self_rel_one.title")).items()).extracting(Record::id)
                .containsExactly("qzaqccwrmva4o1n", "i9naidtvr6qsgb4");
    }

    @Test
    void jsonPathsAndValues() {
        assertThat(ids("demo4", guest(), "json_object.a = 123")).containsExactly("qzaqccwrmva4o1n");
        assertThat(ids("demo4", guest(), "json_object.a.b = 'test'")).containsExactly("i9naidtvr6qsgb4");
        assertThat(ids("demo4", guest(), "json_array.2 = 3")).containsExactly("i9naidtvr6qsgb4");
        assertThat(ids("demo1", superuser(), "json = null")).containsExactly("al1h9ijdeojtsjy", "imy661ixudk5izi");
    }

    @Test
    void modifiersFunctionsAndNumbers() {
        RequestInfo su = superuser();
        assertThat(ids("demo1", su, "select_many:each ?= 'optionC'")).containsExactly("84nmscqy84lsi1t");
        assertThat(ids("demo1", su, "select_many:each = 'optionB'")).containsExactly("al1h9ijdeojtsjy");
        assertThat(ids("demo1", su, "select_many:length = 2")).containsExactly("84nmscqy84lsi1t");
        assertThat(ids("demo1", su, "file_many:length > 1")).containsExactly("84nmscqy84lsi1t");
        assertThat(ids("demo1", su, "rel_many:length = 3")).containsExactly("al1h9ijdeojtsjy");
        assertThat(ids("demo1", su, "rel_many.email ?= 'test3@example.com'")).containsExactly("al1h9ijdeojtsjy");
        assertThat(ids("demo1", su, "number > 400 && number < 1000")).containsExactly("al1h9ijdeojtsjy");
        assertThat(ids("demo1", su, "text:lower = 'LOREM IPSUM'")).isEmpty();
        assertThat(ids("demo1", su, "text:lower = 'lorem ipsum'")).containsExactly("imy661ixudk5izi");
        assertThat(ids("demo1", su, "strftime('%Y-%m-%d', '2024-02-10 10:00:00') = '2024-02-10'")).hasSize(3);
        assertThat(ids("demo1", su, "created < @now && created > '2000-01-01'")).hasSize(3);
        assertThat(ids("demo1", su, "point.lon > 20")).containsExactly("al1h9ijdeojtsjy");
        assertThat(ids("demo1", su, "geoDistance(point.lon, point.lat, 23.32, 42.69) < 25"))
                .containsExactly("al1h9ijdeojtsjy");
    }

    @Test
    void listRulesAndClientRestrictions() {
        assertThat(ids("demo3", guest(), "title != ''")).isEmpty();
        assertThat(ids("demo3", as("users", "4q1xlclmfloku33"), "title != ''")).isEmpty();
        assertThat(ids("demo3", as("nologin", "dc49k6jgejn40h3"), "title != ''")).hasSize(4);
        assertThat(ids("demo5", guest(), "id != ''")).containsExactly("qjeql998mtp1azp");

        assertThatThrownBy(() -> list("demo1", guest(), Map.of())).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.status()).isEqualTo(403));
        assertThatThrownBy(() -> list("demo2", guest(), Map.of("filter", "@collection.demo2.title ?= 'x'")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.message())
                        .isEqualTo("Only superusers can filter by @collection."));
        assertThatThrownBy(() -> list("nologin", guest(), Map.of("filter", "tokenKey != ''")))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400));

        // a hop into demo3 brings demo3's listRule along
        assertThat(ids("demo4", guest(), "rel_one_cascade.title = 'test3'")).isEmpty();
        assertThat(ids("demo4", as("nologin", "dc49k6jgejn40h3"), "rel_one_cascade.title = 'test3'"))
                .containsExactly("qzaqccwrmva4o1n");
        assertThat(ids("demo4", superuser(), "rel_one_cascade.title = 'test3'")).containsExactly("qzaqccwrmva4o1n");
        // rows without the relation are not failed by the target's rule
        assertThat(ids("demo4", guest(), "rel_one_cascade.title = ''")).containsExactly("i9naidtvr6qsgb4");

        // emails are filterable only where they are public
        assertThat(ids("nologin", guest(), "email = 'test2@example.com'")).containsExactly("phhq3wr65cap535");
        assertThat(ids("nologin", guest(), "email = 'test@example.com'")).isEmpty();
        assertThat(ids("nologin", superuser(), "email = 'test@example.com'")).containsExactly("dc49k6jgejn40h3");
    }

    @Test
    void backRelationsAndRequestFields() {
        RequestInfo su = superuser();
        assertThat(ids("demo3", su, "demo4_via_rel_one_cascade.title ?= 'test1'")).containsExactly("7nwo8tuiatetxdm");
        assertThat(ids("demo3", su, "demo4_via_rel_many_cascade.id ?= 'qzaqccwrmva4o1n'"))
                .containsExactly("mk5fmymtx4wsprk");
        assertThat(ids("demo4", su, "@request.auth.email = 'test@example.com' && @request.auth.collectionName = '_superusers'"))
                .hasSize(2);
        assertThat(ids("demo4", su, "@collection.demo2.title ?= title")).hasSize(2);
        assertThat(ids("demo4", su, "@collection.demo2.title = title")).isEmpty();
    }

    @Test
    void valuesAreBoundNotSpliced() {
        assertThat(ids("demo2", guest(), "title = \"x' OR 1=1 --\"")).isEmpty();
        assertThat(ids("demo2", guest(), "title = 'test1\\' OR \\'1\\'=\\'1'")).isEmpty();
        assertThat(ids("demo2", guest(), "title ~ '%' || title ~ '_'")).hasSize(3);
        assertThat(ids("demo2", guest(), "title ~ 'test_'")).isEmpty();
        assertThat(ids("demo2", guest(), "title = '); DROP TABLE demo2; --'")).isEmpty();
        assertThatThrownBy(() -> list("demo2", guest(), Map.of("sort", "title; DROP TABLE demo2")))
                .isInstanceOf(ApiError.class);
        assertThat(app.db().query("SELECT COUNT(*) FROM demo2", List.of(), rs -> rs.getInt(1))).containsExactly(3);
    }
}
