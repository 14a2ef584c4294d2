package io.pocketbus.core;

import io.pocketbus.tools.hook.Hook;
import io.pocketbus.tools.types.DateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Collection create/update/delete/truncate/import through the collection hook stages. The {@code _collections}
 * row and the table change are written in one transaction, so a failed change leaves nothing half-done.
 */
final class CollectionPersistence {
    static final String MSG_CREATE = "Failed to create collection.";
    static final String MSG_UPDATE = "Failed to update collection.";

    private final App app;
    private final CollectionValidator validator;

    CollectionPersistence(App app) {
        this.app = app;
        this.validator = new CollectionValidator(app);
    }

    void save(Collection c) {
        Optional<Collection> old = c.isMarkedNew() ? Optional.empty() : app.findStoredCollection(c.id());
        boolean create = old.isEmpty();
        prepare(c, old);
        AppHooks h = app.hooks;
        Hook<CollectionEvent> outer = create ? h.collectionCreate : h.collectionUpdate;
        Hook<CollectionEvent> execute = create ? h.collectionCreateExecute : h.collectionUpdateExecute;
        Hook<CollectionErrorEvent> onError = create ? h.collectionAfterCreateError : h.collectionAfterUpdateError;
        Hook<CollectionEvent> success = create ? h.collectionAfterCreateSuccess : h.collectionAfterUpdateSuccess;
        CollectionEvent event = new CollectionEvent(app, c);
        String message = create ? MSG_CREATE : MSG_UPDATE;
        try {
            app.db().inTransaction(() -> {
                outer.trigger(event, e -> {
                    Collection col = e.collection();
                    if (col.isView()) {
                        try {
                            col.setFields(ViewFields.infer(app, col, old));
                        } catch (ApiError err) {
                            throw new ApiError(400, message, err.data());
                        }
                    }
                    h.collectionValidate.trigger(e, v -> validator.validate(v.collection(), old, message));
                    execute.trigger(e, x -> write(x.collection(), old));
                });
                return null;
            });
        } catch (RuntimeException err) {
            app.reloadCollections();
            onError.trigger(new CollectionErrorEvent(app, event.collection(), err));
            throw err;
        }
        Collection saved = event.collection();
        app.db().onRollback(() -> {
            app.reloadCollections();
            onError.trigger(new CollectionErrorEvent(app, saved, ApiError.badRequest("The transaction was rolled back.")));
        });
        app.db().onCommit(() -> success.trigger(new CollectionEvent(app, saved)));
    }

    /** Defaults PocketBase fills in: ids, timestamps, auth system fields and indexes, table names in indexes. */
    private void prepare(Collection c, Optional<Collection> old) {
        String now = DateTime.now().toString();
        if (old.isEmpty()) {
            if (c.id().isEmpty()) {
                c.setId(Collection.defaultId(c.type(), c.name()));
            }
            c.setCreated(now);
        } else {
            c.setCreated(old.get().created());
            if (c.isAuth() && old.get().isAuth()) {
                c.auth().keepStoredSecrets(old.get().auth());
            }
        }
        if (c.isSuperusers() && c.isAuth()) {
            c.auth().enforceSuperuserRules();
        }
        initDefaultFields(c);
        c.setUpdated(now);
        Set<String> ids = new HashSet<>();
        for (Field f : c.fields()) {
            if (f.id().isEmpty()) {
                String id = Field.defaultId(f.type(), f.name());
                f.setId(ids.contains(id) ? id + "_" + ids.size() : id);
            }
            ids.add(f.id());
        }
        if (!c.isView()) {
            List<String> indexes = new ArrayList<>();
            for (String index : c.indexes()) {
                indexes.add(IndexSql.parse(index).map(p -> p.build(c.tableName())).orElse(index));
            }
            c.setIndexes(indexes);
        }
    }

    /**
     * As PocketBase on every save: base and auth collections always have the id primary key first; auth
     * collections always have their system fields and the unique tokenKey and email indexes.
     */
    private static void initDefaultFields(Collection c) {
        if (c.isView()) {
            return;
        }
        List<Field> fields = new ArrayList<>(c.fields());
        if (c.field("id").orElse(null) instanceof TextField id) {
            id.setSystem(true);
            id.setHidden(false);
            id.setRequired(true).setPrimaryKey(true);
            if (id.pattern().isEmpty()) {
                id.setPattern(TextField.DEFAULT_ID_PATTERN);
            }
        } else if (c.field("id").isEmpty()) {
            fields.add(0, Scaffolds.idField());
        }
        if (c.isAuth()) {
            for (Field sys : Scaffolds.authSystemFields()) {
                Optional<Field> existing = fields.stream().filter(f -> f.name().equals(sys.name())).findFirst();
                if (existing.isEmpty()) {
                    fields.add(sys);
                } else if (existing.get().type().equals(sys.type())) {
                    Field f = existing.get();
                    f.setSystem(true);
                    if (sys.hidden()) {
                        f.setHidden(true);
                    }
                    switch (f) {
                        case PasswordField pf -> pf.setRequired(true);
                        case TextField tf -> tf.setRequired(true);
                        default -> {
                        }
                    }
                }
            }
        }
        c.setFields(fields);
        if (c.isAuth()) {
            List<String> indexes = new ArrayList<>(c.indexes());
            List<String> defaults = Scaffolds.defaultAuthIndexes(c);
            if (!CollectionValidator.hasUniqueIndex(c, "tokenKey")) {
                indexes.add(defaults.get(0));
            }
            if (!CollectionValidator.hasUniqueIndex(c, "email")) {
                indexes.add(defaults.get(1));
            }
            c.setIndexes(indexes);
        }
    }

    private void write(Collection c, Optional<Collection> old) {
        if (old.isEmpty()) {
            SchemaSql.insertCollection(app.db(), c);
        } else {
            SchemaSql.updateCollection(app.db(), c);
        }
        TableSync.sync(app.db(), old, c);
        // later saves in the same transaction (imports, relations) must see this collection
        app.reloadCollections();
    }

    void delete(Collection c) {
        Collection target = app.findStoredCollection(c.id()).orElseThrow(() -> ApiError.notFound(""));
        if (target.system()) {
            throw ApiError.badRequest("Failed to delete collection.", Map.of("name",
                    ValidationError.of("validation_collection_system_delete", "System collections cannot be deleted.")));
        }
        for (Collection other : app.collections()) {
            if (other.id().equals(target.id())) {
                continue;
            }
            for (Field f : other.fields()) {
                if (f instanceof RelationField rf && rf.collectionId().equals(target.id()) && !other.isView()) {
                    throw ApiError.badRequest("Failed to delete collection due to existing dependency.");
                }
            }
        }
        AppHooks h = app.hooks;
        CollectionEvent event = new CollectionEvent(app, target);
        try {
            app.db().inTransaction(() -> {
                h.collectionDelete.trigger(event, e -> h.collectionDeleteExecute.trigger(e, x -> {
                    Collection col = x.collection();
                    app.db().exec("DELETE FROM `_collections` WHERE id = ?", List.of(col.id()));
                    app.db().execDdl((col.isView() ? "DROP VIEW IF EXISTS " : "DROP TABLE IF EXISTS ")
                            + SchemaSql.quote(col.tableName()));
                    app.reloadCollections();
                }));
                return null;
            });
        } catch (RuntimeException err) {
            app.reloadCollections();
            h.collectionAfterDeleteError.trigger(new CollectionErrorEvent(app, target, err));
            throw err;
        }
        app.db().onRollback(app::reloadCollections);
        app.db().onCommit(() -> {
            app.files().deletePrefix(FileStorage.checkKey(target.id()));
            h.collectionAfterDeleteSuccess.trigger(new CollectionEvent(app, target));
        });
    }

    /** Deletes every record (with cascades and hooks) in one transaction. */
    void truncate(Collection c) {
        if (c.isView()) {
            throw ApiError.badRequest("View collections cannot be truncated.");
        }
        app.runInTransaction(tx -> {
            for (Record r : app.findRecordsBySql(c, "SELECT * FROM " + SchemaSql.quote(c.tableName()), List.of())) {
                if (app.findRecordById(c, r.id()).isPresent()) {
                    app.delete(r);
                }
            }
        });
    }

    /**
     * Replaces the collections configuration with {@code imported} (matched by id, then name); with
     * {@code deleteMissing}, non-system collections absent from the import are deleted. One transaction.
     */
    void importCollections(List<Collection> imported, boolean deleteMissing) {
        try {
            app.runInTransaction(tx -> {
                Set<String> keep = new HashSet<>();
                for (Collection in : imported) {
                    Optional<Collection> existing = (in.id().isEmpty() ? Optional.<Collection>empty()
                            : app.findCollectionByNameOrId(in.id()).filter(x -> x.id().equals(in.id())))
                            .or(() -> app.findCollectionByNameOrId(in.name()));
                    existing.ifPresent(e -> {
                        in.setId(e.id());
                        in.setSystem(e.system());
                    });
                    save(in);
                    keep.add(in.id());
                }
                if (deleteMissing) {
                    List<Collection> missing = app.collections().stream()
                            .filter(x -> !x.system() && !keep.contains(x.id())).toList();
                    // views first, then tables newest first, so dependents go before what they reference
                    for (Collection view : missing.stream().filter(Collection::isView).toList()) {
                        delete(view);
                    }
                    List<Collection> tables = new ArrayList<>(missing.stream().filter(x -> !x.isView()).toList());
                    java.util.Collections.reverse(tables);
                    for (Collection table : tables) {
                        delete(table);
                    }
                }
            });
        } catch (ApiError e) {
            throw ApiError.badRequest("Failed to import collections.", Map.of("collections",
                    ValidationError.of("validation_collections_import_failure",
                            "Failed to import the collections configuration. Raw error:\n" + describe(e))));
        }
    }

    private static String describe(ApiError e) {
        return e.data().isEmpty() ? e.message() : e.message() + " " + e.toMap().get("data");
    }
}
