package io.pocketbus.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.core.RequestInfo;
import io.pocketbus.core.RuleCheck;
import io.pocketbus.tools.search.Sql;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API rules evaluated on real rows of PocketBase's fixture, and on drafts through the one-row CTE. */
class RuleCheckSqliteTest {

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

    static RequestInfo as(String collection, String id, Map<String, Object> body) {
        Record auth = app.findRecordById(collection, id).orElseThrow();
        return new RequestInfo("default", "POST", Map.of(), Map.of(), body, Optional.of(auth));
    }

    static Record record(String collection, String id) {
        return app.findRecordById(collection, id).orElseThrow();
    }

    @Test
    void storedRecords() {
        Record self = record("users", "4q1xlclmfloku33");
        Record other = record("users", "bgs820n361vj1qd");
        Optional<String> viewRule = self.collection().viewRule();
        RequestInfo user = as("users", "4q1xlclmfloku33", Map.of());
        assertThat(RuleCheck.canAccess(app, self, user, viewRule)).isTrue();
        assertThat(RuleCheck.canAccess(app, other, user, viewRule)).isFalse();
        assertThat(RuleCheck.canAccess(app, self, RequestInfo.guest(), viewRule)).isFalse();
        assertThat(RuleCheck.canAccess(app, other, as("_superusers", "sywbhecnh46rhm0", Map.of()), viewRule)).isTrue();
        assertThat(RuleCheck.canAccess(app, self, user, Optional.empty())).isFalse();
        assertThat(RuleCheck.canAccess(app, self, RequestInfo.guest(), Optional.of(""))).isTrue();

        Record demo4 = record("demo4", "qzaqccwrmva4o1n");
        assertThat(RuleCheck.canAccess(app, demo4, user, Optional.of("@request.auth.rel.title = 'test1'"))).isTrue();
        assertThat(RuleCheck.canAccess(app, demo4, user, Optional.of("@request.auth.rel.title = 'test2'"))).isFalse();
        assertThat(RuleCheck.canAccess(app, demo4, user, Optional.of("self_rel_many.title ?= 'test2'"))).isTrue();
        assertThat(RuleCheck.canAccess(app, demo4, user, Optional.of("self_rel_many.title = 'test2'"))).isFalse();
        assertThat(RuleCheck.canAccess(app, demo4, user, Optional.of("@collection.demo2.title ?= title"))).isTrue();
        assertThat(RuleCheck.canAccess(app, record("demo3", "7nwo8tuiatetxdm"), user,
                Optional.of("demo4_via_rel_one_cascade.title ?= 'test1'"))).isTrue();
    }

    @Test
    void findRecordAppliesTheRule() {
        Collection users = app.findCollectionByNameOrId("users").orElseThrow();
        RequestInfo user = as("users", "4q1xlclmfloku33", Map.of());
        assertThat(RuleCheck.findRecord(app, users, "4q1xlclmfloku33", user, users.viewRule())).isPresent();
        assertThat(RuleCheck.findRecord(app, users, "bgs820n361vj1qd", user, users.viewRule())).isEmpty();
        assertThat(RuleCheck.findRecord(app, users, "bgs820n361vj1qd", user, Optional.empty())).isEmpty();
        assertThat(RuleCheck.findRecord(app, users, "bgs820n361vj1qd", as("_superusers", "sywbhecnh46rhm0", Map.of()),
                Optional.empty())).isPresent();
    }

    @Test
    void createRulesSeeTheDraft() {
        Collection demo5 = app.findCollectionByNameOrId("demo5").orElseThrow();
        Map<String, Object> three = Map.of("total", 3);
        assertThat(RuleCheck.canCreate(app, new Record(demo5).load(three),
                new RequestInfo("default", "POST", Map.of(), Map.of(), three, Optional.empty()))).isTrue();
        Map<String, Object> two = Map.of("total", 2);
        assertThat(RuleCheck.canCreate(app, new Record(demo5).load(two),
                new RequestInfo("default", "POST", Map.of(), Map.of(), two, Optional.empty()))).isFalse();

        Collection demo4 = app.findCollectionByNameOrId("demo4").orElseThrow();
        Record draft = new Record(demo4).load(Map.of("title", "new", "self_rel_one", "qzaqccwrmva4o1n"));
        assertThat(RuleCheck.canCreate(app, draft, as("users", "4q1xlclmfloku33", Map.of()))).isTrue();
        assertThat(RuleCheck.canCreate(app, draft, as("nologin", "dc49k6jgejn40h3", Map.of()))).isFalse();
        assertThat(RuleCheck.canCreate(app, draft, RequestInfo.guest())).isFalse();

        // the draft's own values and a relation hop from them
        assertThat(draftPasses(draft, "title = 'new' && self_rel_one.title = 'test1'")).isTrue();
        assertThat(draftPasses(draft, "title = 'old'")).isFalse();
        assertThat(draftPasses(draft, "self_rel_one.self_rel_many.title ?= 'test2'")).isTrue();
    }

    @Test
    void manageRuleAndVerifiedDrafts() {
        Record nologin = record("nologin", "dc49k6jgejn40h3");
        assertThat(RuleCheck.hasManageAccess(app, nologin, as("users", "4q1xlclmfloku33", Map.of()))).isTrue();
        assertThat(RuleCheck.hasManageAccess(app, nologin, as("clients", "gk390qegs4y47wn", Map.of()))).isFalse();
        assertThat(RuleCheck.hasManageAccess(app, nologin, RequestInfo.guest())).isFalse();

        Collection nologins = app.findCollectionByNameOrId("nologin").orElseThrow();
        Record draft = new Record(nologins).load(Map.of("email", "new@example.com", "verified", true));
        assertThat(draftPasses(draft, "verified = false && email = 'new@example.com'")).isTrue();
    }

    @Test
    void validatesRulesOfACollection() {
        Collection demo4 = app.findCollectionByNameOrId("demo4").orElseThrow();
        assertThat(RuleCheck.validate(app, demo4, "self_rel_many.title ?= 'x' && @request.auth.id != ''")).isEmpty();
        assertThat(RuleCheck.validate(app, demo4, "@collection.demo2.title ?= title")).isEmpty();
        assertThat(RuleCheck.validate(app, demo4, "")).isEmpty();
        assertThat(RuleCheck.validate(app, demo4, "nope = 1")).contains("invalid left operand \"nope\" - unknown field \"nope\"");
        assertThat(RuleCheck.validate(app, demo4, "title =")).contains("invalid or incomplete filter expression");
        assertThat(RuleCheck.validate(app, demo4, "  ")).contains("empty filter expression");
    }

    private static boolean draftPasses(Record draft, String rule) {
        Sql sql = RuleCheck.draftQuery(app::findCollectionByNameOrId, draft, RequestInfo.guest(), rule, Clock.systemUTC());
        return app.db().queryOne(sql.text(), sql.params(), rs -> rs.getInt(1)).isPresent();
    }
}
