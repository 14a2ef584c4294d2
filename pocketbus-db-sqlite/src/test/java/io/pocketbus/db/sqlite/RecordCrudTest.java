package io.pocketbus.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.core.ValidationError;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordCrudTest {
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

    private Collection col(String name) {
        return app.findCollectionByNameOrId(name).orElseThrow();
    }

    private long count(String table) {
        return app.db().queryOne("SELECT COUNT(*) FROM `" + table + "`", List.of(), rs -> rs.getLong(1)).orElseThrow();
    }

    @Test
    void createsReadsUpdatesWithHooksInPocketBaseOrder() {
        List<String> calls = new ArrayList<>();
        app.onRecordCreate("demo2").bindFunc(e -> { calls.add("create"); e.next(); });
        app.onRecordValidate().bindFunc(e -> { calls.add("validate"); e.next(); });
        app.onRecordCreateExecute(col("demo2").id()).bindFunc(e -> { calls.add("execute"); e.next(); });
        app.onRecordAfterCreateSuccess("demo2").bindFunc(e -> { calls.add("success"); e.next(); });
        app.onRecordCreate("demo3").bindFunc(e -> { calls.add("other collection"); e.next(); });

        Record r = new Record(col("demo2")).load(Map.of("title", "new one", "active", "true", "created", "1999-01-01"));
        app.save(r);

        assertThat(calls).containsExactly("create", "validate", "execute", "success");
        assertThat(r.id()).matches("[a-z0-9]{15}");
        assertThat(r.isNew()).isFalse();
        Record back = app.findRecordById("demo2", r.id()).orElseThrow();
        assertThat(back.getString("title")).isEqualTo("new one");
        assertThat(back.getBool("active")).isTrue();
        assertThat(back.getString("created")).isNotEmpty().isEqualTo(back.getString("updated"))
                .doesNotStartWith("1999");

        back.load(Map.of("title", "renamed"));
        app.save(back);
        assertThat(app.findRecordById("demo2", r.id()).orElseThrow().getString("title")).isEqualTo("renamed");
    }

    @Test
    void uniqueIndexViolationIsAFieldError() {
        Record r = new Record(col("demo2")).load(Map.of("title", "test1"));
        assertThatThrownBy(() -> app.save(r)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(400);
            assertThat(e.message()).isEqualTo("Failed to create record.");
            assertThat(e.data()).containsOnlyKeys("title");
            assertThat(((ValidationError) e.data().get("title")).code()).isEqualTo("validation_not_unique");
        });
    }

    @Test
    void requiredRelationAndMissingIdsAreReported() {
        Record r = new Record(col("demo4")).load(Map.of("rel_many_no_cascade_required", List.of("nope")));
        assertThatThrownBy(() -> app.save(r)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(((ValidationError) e.data().get("rel_one_no_cascade_required")).code())
                    .isEqualTo("validation_required");
            assertThat(((ValidationError) e.data().get("rel_many_no_cascade_required")).code())
                    .isEqualTo("validation_missing_rel_records");
        });
    }

    @Test
    void failureInsideExecuteRollsBackTheWrite() {
        long before = count("demo2");
        app.onRecordCreateExecute().bindFunc(e -> {
            e.next();
            throw ApiError.badRequest("boom");
        });
        List<String> errors = new ArrayList<>();
        app.onRecordAfterCreateError().bindFunc(e -> { errors.add(e.error().getMessage()); e.next(); });
        Record r = new Record(col("demo2")).load(Map.of("title", "never stored"));
        assertThatThrownBy(() -> app.save(r)).hasMessage("Boom.");
        assertThat(count("demo2")).isEqualTo(before);
        assertThat(errors).containsExactly("Boom.");
    }

    @Test
    void handlerNotCallingNextStopsTheSave() {
        long before = count("demo2");
        app.onRecordCreate().bindFunc(e -> { });
        app.save(new Record(col("demo2")).load(Map.of("title", "skipped")));
        assertThat(count("demo2")).isEqualTo(before);
    }

    @Test
    void deleteRefusedByARequiredReferenceChangesNothing() {
        Record target = app.findRecordById("demo3", "lcl9d87w22ml6jy").orElseThrow();
        assertThatThrownBy(() -> app.delete(target)).isInstanceOf(ApiError.class)
                .hasMessageContaining("required relation reference");
        assertThat(app.findRecordById("demo3", "lcl9d87w22ml6jy")).isPresent();
        assertThat(count("demo4")).isEqualTo(2);
    }

    @Test
    void deleteCascadesAndUnlinks() {
        app.delete(app.findRecordById("demo3", "1tmknxy2868d869").orElseThrow());
        Record kept = app.findRecordById("demo4", "qzaqccwrmva4o1n").orElseThrow();
        assertThat(kept.getStringList("rel_many_no_cascade")).isEmpty();
        assertThat(kept.getStringList("rel_many_no_cascade_required")).containsExactly("lcl9d87w22ml6jy");

        List<String> deleted = new ArrayList<>();
        app.onRecordAfterDeleteSuccess().bindFunc(e -> { deleted.add(e.record().id()); e.next(); });
        app.delete(app.findRecordById("demo3", "mk5fmymtx4wsprk").orElseThrow());
        assertThat(app.findRecordById("demo4", "qzaqccwrmva4o1n")).isEmpty();
        assertThat(app.findRecordById("demo4", "i9naidtvr6qsgb4")).isPresent();
        assertThat(deleted).containsExactlyInAnyOrder("qzaqccwrmva4o1n", "mk5fmymtx4wsprk");
    }

    @Test
    void cascadeOnlyDeletesReferencesLeftEmpty() {
        Record ref = app.findRecordById("demo4", "qzaqccwrmva4o1n").orElseThrow();
        ref.set("rel_many_cascade", List.of("mk5fmymtx4wsprk", "7nwo8tuiatetxdm"));
        app.save(ref);
        app.delete(app.findRecordById("demo3", "mk5fmymtx4wsprk").orElseThrow());
        Record kept = app.findRecordById("demo4", "qzaqccwrmva4o1n").orElseThrow();
        assertThat(kept.getStringList("rel_many_cascade")).containsExactly("7nwo8tuiatetxdm");
        assertThat(kept.getString("rel_one_no_cascade")).isEmpty();
    }

    @Test
    void authRecordJsonHidesSecretsAndRespectsEmailVisibility() {
        Record hidden = app.findRecordById("users", "4q1xlclmfloku33").orElseThrow();
        assertThat(hidden.toJson()).doesNotContainKeys("password", "tokenKey", "email")
                .containsEntry("collectionName", "users").containsEntry("collectionId", "_pb_users_auth_");
        assertThat(new ArrayList<>(hidden.toJson().keySet())).isSorted();
        assertThat(hidden.withEmailVisible(true).toJson()).containsEntry("email", "test@example.com");
        Record visible = app.findRecordById("users", "bgs820n361vj1qd").orElseThrow();
        assertThat(visible.toJson()).containsEntry("email", "test3@example.com");
    }

    @Test
    void passwordChangeHashesAndRotatesTokenKey() {
        Record u = app.findRecordById("users", "4q1xlclmfloku33").orElseThrow();
        String oldKey = u.tokenKey();
        u.set("password", "short");
        assertThatThrownBy(() -> app.save(u)).isInstanceOfSatisfying(ApiError.class, e ->
                assertThat(((ValidationError) e.data().get("password")).code()).isEqualTo("validation_min_text_constraint"));
        u.set("password", "a-new-password");
        app.save(u);
        Record back = app.findRecordById("users", "4q1xlclmfloku33").orElseThrow();
        assertThat(back.validatePassword("a-new-password")).isTrue();
        assertThat(back.getString("password")).startsWith("$2a$10$");
        assertThat(back.tokenKey()).isNotEqualTo(oldKey);
    }

    @Test
    void aFailedSaveInsideACaughtTransactionLeavesNothingBehind() {
        app.onRecordCreateExecute("demo2").bindFunc(e -> {
            e.next();
            if (e.record().getString("title").equals("bad")) {
                throw ApiError.badRequest("rejected");
            }
        });
        long before = count("demo2");
        app.runInTransaction(tx -> {
            tx.save(new Record(col("demo2")).load(Map.of("title", "good")));
            assertThatThrownBy(() -> tx.save(new Record(col("demo2")).load(Map.of("title", "bad"))))
                    .hasMessage("Rejected.");
        });
        assertThat(count("demo2")).isEqualTo(before + 1);
        assertThat(app.findRecordsByField(col("demo2"), "title", "bad")).isEmpty();
    }

    @Test
    void outerTransactionRollsBackEverySave() {
        long before = count("demo2");
        assertThatThrownBy(() -> app.runInTransaction(tx -> {
            tx.save(new Record(col("demo2")).load(Map.of("title", "in tx 1")));
            tx.save(new Record(col("demo2")).load(Map.of("title", "in tx 2")));
            throw new IllegalStateException("abort");
        })).hasMessage("abort");
        assertThat(count("demo2")).isEqualTo(before);
    }
}
