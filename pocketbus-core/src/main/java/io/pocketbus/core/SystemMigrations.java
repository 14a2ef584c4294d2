package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.tools.types.DateTime;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Creates PocketBase's system tables and collections on a fresh data directory, recording them in
 * {@code _migrations} like PocketBase does. A directory already initialised (by PocketBase or by us) is left
 * as it is.
 */
final class SystemMigrations {
    /**
     * PocketBase v0.39's system migrations: a fresh directory is in their end state, so they are recorded
     * as applied and PocketBase itself can open the directory too.
     */
    static final List<String> DATA_MIGRATIONS = List.of("1640988000_init.go", "1717233556_v0.23_migrate.go",
            "1717233557_v0.23_migrate2.go", "1717233558_v0.23_migrate3.go", "1717233559_v0.23_migrate4.go",
            "1763020353_update_default_auth_alert_templates.go", "1778828400_normalize_indexes.go");
    static final List<String> AUX_MIGRATIONS = List.of("1640988000_aux_init.go");

    private SystemMigrations() {
    }

    static void run(App app) {
        Db db = app.db();
        db.execDdl("CREATE TABLE IF NOT EXISTS `_migrations` (file VARCHAR(255) PRIMARY KEY NOT NULL, applied INTEGER NOT NULL)");
        app.auxDb().execDdl("CREATE TABLE IF NOT EXISTS `_migrations` (file VARCHAR(255) PRIMARY KEY NOT NULL, applied INTEGER NOT NULL)");
        initAuxiliary(app.auxDb());
        boolean initialised = db.queryOne("SELECT 1 FROM sqlite_master WHERE type='table' AND name='_collections'",
                List.of(), rs -> true).isPresent();
        if (initialised) {
            return;
        }
        db.inTransaction(() -> {
            db.execDdl("""
                    CREATE TABLE `_params` (`created` TEXT DEFAULT '' NOT NULL, `id` TEXT PRIMARY KEY \
                    DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, `updated` TEXT DEFAULT '' NOT NULL, \
                    `value` JSON DEFAULT NULL)""");
            db.execDdl("""
                    CREATE TABLE `_collections` (`id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, \
                    `system` BOOLEAN DEFAULT FALSE NOT NULL, `type` TEXT DEFAULT 'base' NOT NULL, \
                    `name` TEXT UNIQUE NOT NULL, `fields` JSON DEFAULT '[]' NOT NULL, \
                    `indexes` JSON DEFAULT '[]' NOT NULL, `listRule` TEXT DEFAULT NULL, \
                    `viewRule` TEXT DEFAULT NULL, `createRule` TEXT DEFAULT NULL, `updateRule` TEXT DEFAULT NULL, \
                    `deleteRule` TEXT DEFAULT NULL, `options` JSON DEFAULT '{}' NOT NULL, \
                    `created` TEXT DEFAULT '' NOT NULL, `updated` TEXT DEFAULT '' NOT NULL)""");
            db.execDdl("CREATE INDEX IF NOT EXISTS idx__collections_type on `_collections` (`type`)");
            for (Collection c : systemCollections()) {
                String now = DateTime.now().toString();
                c.setCreated(now);
                c.setUpdated(now);
                SchemaSql.insertCollection(db, c);
                SchemaSql.createTable(db, c);
            }
            recordApplied(db, DATA_MIGRATIONS);
            return null;
        });
    }

    private static void recordApplied(Db db, List<String> files) {
        long micros = System.currentTimeMillis() * 1000;
        for (String file : files) {
            db.exec("INSERT OR IGNORE INTO `_migrations` (file, applied) VALUES (?, ?)", List.of(file, micros++));
        }
    }

    private static void initAuxiliary(Db aux) {
        boolean fresh = aux.queryOne("SELECT 1 FROM sqlite_master WHERE type='table' AND name='_logs'", List.of(),
                rs -> true).isEmpty();
        aux.execDdl("""
                CREATE TABLE IF NOT EXISTS `_logs` (`id` TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL, \
                `level` INTEGER DEFAULT 0 NOT NULL, `message` TEXT DEFAULT '' NOT NULL, \
                `data` JSON DEFAULT '{}' NOT NULL, \
                `created` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL, \
                `updated` TEXT DEFAULT (strftime('%Y-%m-%d %H:%M:%fZ')) NOT NULL)""");
        aux.execDdl("CREATE INDEX IF NOT EXISTS idx_logs_level on `_logs` (`level`)");
        aux.execDdl("CREATE INDEX IF NOT EXISTS idx_logs_message on `_logs` (`message`)");
        aux.execDdl("CREATE INDEX IF NOT EXISTS idx_logs_created_hour on `_logs` (strftime('%Y-%m-%d %H:00:00', `created`))");
        if (fresh) {
            recordApplied(aux, AUX_MIGRATIONS);
        }
    }

    /** _superusers, _mfas, _otps, _externalAuths, _authOrigins and the default users collection. */
    static List<Collection> systemCollections() {
        try (InputStream in = SystemMigrations.class.getResourceAsStream("system-collections.json")) {
            JsonNode arr = Field.MAPPER.readTree(in);
            java.util.ArrayList<Collection> out = new java.util.ArrayList<>();
            arr.forEach(n -> out.add(Collection.fromJson(n)));
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
