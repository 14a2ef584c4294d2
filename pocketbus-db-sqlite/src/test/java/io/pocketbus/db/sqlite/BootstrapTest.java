package io.pocketbus.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootstrapTest {
    @TempDir
    Path temp;

    @Test
    void freshDirectoryGetsSystemCollectionsAndUsers() {
        try (App app = Fixtures.emptyApp(temp)) {
            assertThat(app.collections()).extracting(Collection::name)
                    .containsExactly("_superusers", "_mfas", "_otps", "_externalAuths", "_authOrigins", "users");
            assertThat(app.findCollectionByNameOrId("_pb_users_auth_")).get().extracting(Collection::name)
                    .isEqualTo("users");
            Collection su = app.findCollectionByNameOrId("_superusers").orElseThrow();
            assertThat(su.id()).isEqualTo("pbc_3142635823").isEqualTo(Collection.defaultId(su.type(), su.name()));
            List<String> tables = app.db().query("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name",
                    List.of(), rs -> rs.getString(1));
            assertThat(tables).contains("_collections", "_params", "_migrations", "_superusers", "users");
            assertThat(app.auxDb().query("SELECT name FROM sqlite_master WHERE name='_logs'", List.of(),
                    rs -> rs.getString(1))).containsExactly("_logs");
            assertThat(app.db().query("SELECT file FROM _migrations", List.of(), rs -> rs.getString(1)))
                    .contains("1640988000_init.go", "1778828400_normalize_indexes.go");
            assertThat(app.auxDb().query("SELECT file FROM _migrations", List.of(), rs -> rs.getString(1)))
                    .containsExactly("1640988000_aux_init.go");
        }
    }

    @Test
    void reopeningAnInitialisedDirectoryKeepsIt() {
        try (App app = Fixtures.emptyApp(temp)) {
            assertThat(app.collections()).hasSize(6);
        }
        try (App again = Fixtures.emptyApp(temp)) {
            assertThat(again.collections()).hasSize(6);
        }
    }

    @Test
    void loadsEveryFixtureCollectionAndRecord() {
        try (App app = Fixtures.fixtureApp(temp)) {
            assertThat(app.collections()).extracting(Collection::name).contains("users", "demo1", "demo2",
                    "demo3", "demo4", "demo5", "clients", "nologin", "view1", "view2", "numeric_id_view",
                    "_superusers");
            Collection users = app.findCollectionByNameOrId("USERS").orElseThrow();
            List<String> ids = app.db().query("SELECT id FROM users", List.of(), rs -> rs.getString(1));
            assertThat(ids).isNotEmpty();
            for (String id : ids) {
                Record r = app.findRecordById(users, id).orElseThrow();
                assertThat(r.id()).isEqualTo(id);
                assertThat(r.validatePassword("1234567890")).isTrue();
            }
            assertThat(app.findRecordById(users, ids.get(0)).orElseThrow().validatePassword("wrong")).isFalse();
        }
    }
}
