package io.pocketbus.core;

import io.pocketbus.core.spi.Dialect;
import io.pocketbus.tools.hook.Hook;
import io.pocketbus.tools.hook.TaggedHook;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The PocketBase application core: databases, collections, records, hooks, tokens, settings and logs.
 * Create with {@link #builder()}, call {@link #bootstrap()}, {@link #close()} when done.
 */
public final class App implements AutoCloseable {
    private final Path dataDir;
    private final Dialect dialect;
    private final int readers;
    final AppHooks hooks = new AppHooks();

    private volatile Db db;
    private volatile Db auxDb;
    private volatile CollectionStore collections;
    private volatile RecordStore records;
    private volatile RecordPersistence persistence;
    private final FileStorage files;

    private App(Builder b) {
        this.dataDir = b.dataDir;
        this.dialect = b.dialect;
        this.readers = b.readers;
        this.files = new FileStorage(dataDir.resolve("storage"));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures an {@link App}: a data directory and a SQL {@link Dialect} are required. */
    public static final class Builder {
        private Path dataDir;
        private Dialect dialect;
        private int readers = 4;

        private Builder() {
        }

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder dialect(Dialect d) {
            this.dialect = d;
            return this;
        }

        /** Reader connections per database (default 4). */
        public Builder readers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("readers must be >= 1");
            }
            this.readers = n;
            return this;
        }

        public App build() {
            Objects.requireNonNull(dataDir, "dataDir");
            Objects.requireNonNull(dialect, "dialect");
            return new App(this);
        }
    }

    // lifecycle

    /**
     * Opens data.db and auxiliary.db (creating the directory and files when missing), runs the system
     * migrations and loads the collections, through the {@link #onBootstrap()} chain.
     */
    public void bootstrap() {
        hooks.bootstrap.trigger(new BootstrapEvent(this), e -> {
            try {
                Files.createDirectories(dataDir);
            } catch (java.io.IOException ex) {
                throw ApiError.internal("Cannot create the data directory.", ex);
            }
            if (db != null) {
                closeDatabases();
            }
            db = new Db(dialect.open(dataDir.resolve("data.db"), readers), dialect);
            auxDb = new Db(dialect.open(dataDir.resolve("auxiliary.db"), readers), dialect);
            collections = new CollectionStore(db);
            records = new RecordStore(this);
            persistence = new RecordPersistence(this);
            SystemMigrations.run(this);
            collections.reload();
        });
    }

    public boolean isBootstrapped() {
        return db != null;
    }

    /** Runs the {@link #onTerminate()} chain, then closes the databases. */
    @Override
    public void close() {
        hooks.terminate.trigger(new TerminateEvent(this, false), e -> closeDatabases());
    }

    private void closeDatabases() {
        Db d = db;
        Db a = auxDb;
        db = null;
        auxDb = null;
        if (d != null) {
            d.close();
        }
        if (a != null) {
            a.close();
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The main database (data.db). */
    public Db db() {
        Db d = db;
        if (d == null) {
            throw new IllegalStateException("the app is not bootstrapped");
        }
        return d;
    }

    /** The auxiliary database (auxiliary.db: logs). */
    public Db auxDb() {
        Db d = auxDb;
        if (d == null) {
            throw new IllegalStateException("the app is not bootstrapped");
        }
        return d;
    }

    /** Runs {@code body} in one transaction of data.db; any exception rolls everything back. */
    public void runInTransaction(Consumer<App> body) {
        db().inTransaction(() -> {
            body.accept(this);
            return null;
        });
    }

    /** Like {@link #runInTransaction(Consumer)}, returning the body's result. */
    public <T> T callInTransaction(Function<App, T> body) {
        return db().inTransaction(() -> body.apply(this));
    }

    // collections

    /** Every collection, in creation order. */
    public List<Collection> collections() {
        return collectionStore().all();
    }

    /**
     * A collection by id or (case-insensitive) name. The instance is shared: {@link Collection#copy()} it
     * before changing it.
     */
    public Optional<Collection> findCollectionByNameOrId(String nameOrId) {
        return collectionStore().find(nameOrId);
    }

    /** Reloads the collections cache from the database. */
    public void reloadCollections() {
        collectionStore().reload();
    }

    CollectionStore collectionStore() {
        CollectionStore c = collections;
        if (c == null) {
            throw new IllegalStateException("the app is not bootstrapped");
        }
        return c;
    }

    RecordStore recordStore() {
        RecordStore r = records;
        if (r == null) {
            throw new IllegalStateException("the app is not bootstrapped");
        }
        return r;
    }

    // records

    public Optional<Record> findRecordById(Collection collection, String id) {
        return recordStore().findById(collection, id);
    }

    /** A record by collection name/id and record id; empty when either is unknown. */
    public Optional<Record> findRecordById(String collectionNameOrId, String id) {
        return findCollectionByNameOrId(collectionNameOrId).flatMap(c -> findRecordById(c, id));
    }

    /** Records whose {@code field} equals {@code value} (for multiple fields: contains it). */
    public List<Record> findRecordsByField(Collection collection, String field, Object value) {
        return recordStore().findByField(collection, field, value);
    }

    /** Runs a SELECT of whole rows of {@code collection}'s table ({@code SELECT * ...}) and maps them. */
    public List<Record> findRecordsBySql(Collection collection, String sql, List<?> params) {
        return recordStore().query(collection, sql, params);
    }

    /**
     * Creates or updates the record (by {@link Record#isNew()}) through the record hook chains, validating
     * it; one transaction. Validation failures are a 400 {@link ApiError} with field errors.
     */
    public void save(Record record) {
        persistence().save(record, true);
    }

    /** Saves without field validation (hooks still run). */
    public void saveNoValidate(Record record) {
        persistence().save(record, false);
    }

    /** Validates the record's fields without saving; throws a 400 {@link ApiError} with field errors. */
    public void validate(Record record) {
        persistence().validate(record, record.isNew());
    }

    /**
     * Deletes the record through the delete hook chains, in one transaction: referencing records are
     * cascade-deleted, unlinked, or the delete is refused when a required relation would be left empty.
     */
    public void delete(Record record) {
        persistence().delete(record);
    }

    /** The local file storage ({@code <dataDir>/storage}). */
    public FileStorage files() {
        return files;
    }

    private RecordPersistence persistence() {
        RecordPersistence p = persistence;
        if (p == null) {
            throw new IllegalStateException("the app is not bootstrapped");
        }
        return p;
    }

    // hooks

    public Hook<BootstrapEvent> onBootstrap() {
        return hooks.bootstrap;
    }

    public Hook<TerminateEvent> onTerminate() {
        return hooks.terminate;
    }

    public TaggedHook<RecordEvent> onRecordValidate(String... tags) {
        return new TaggedHook<>(hooks.recordValidate, tags);
    }

    public TaggedHook<RecordEvent> onRecordCreate(String... tags) {
        return new TaggedHook<>(hooks.recordCreate, tags);
    }

    public TaggedHook<RecordEvent> onRecordCreateExecute(String... tags) {
        return new TaggedHook<>(hooks.recordCreateExecute, tags);
    }

    public TaggedHook<RecordEvent> onRecordAfterCreateSuccess(String... tags) {
        return new TaggedHook<>(hooks.recordAfterCreateSuccess, tags);
    }

    public TaggedHook<RecordErrorEvent> onRecordAfterCreateError(String... tags) {
        return new TaggedHook<>(hooks.recordAfterCreateError, tags);
    }

    public TaggedHook<RecordEvent> onRecordUpdate(String... tags) {
        return new TaggedHook<>(hooks.recordUpdate, tags);
    }

    public TaggedHook<RecordEvent> onRecordUpdateExecute(String... tags) {
        return new TaggedHook<>(hooks.recordUpdateExecute, tags);
    }

    public TaggedHook<RecordEvent> onRecordAfterUpdateSuccess(String... tags) {
        return new TaggedHook<>(hooks.recordAfterUpdateSuccess, tags);
    }

    public TaggedHook<RecordErrorEvent> onRecordAfterUpdateError(String... tags) {
        return new TaggedHook<>(hooks.recordAfterUpdateError, tags);
    }

    public TaggedHook<RecordEvent> onRecordDelete(String... tags) {
        return new TaggedHook<>(hooks.recordDelete, tags);
    }

    public TaggedHook<RecordEvent> onRecordDeleteExecute(String... tags) {
        return new TaggedHook<>(hooks.recordDeleteExecute, tags);
    }

    public TaggedHook<RecordEvent> onRecordAfterDeleteSuccess(String... tags) {
        return new TaggedHook<>(hooks.recordAfterDeleteSuccess, tags);
    }

    public TaggedHook<RecordErrorEvent> onRecordAfterDeleteError(String... tags) {
        return new TaggedHook<>(hooks.recordAfterDeleteError, tags);
    }

    public TaggedHook<RecordEnrichEvent> onRecordEnrich(String... tags) {
        return new TaggedHook<>(hooks.recordEnrich, tags);
    }

    public TaggedHook<CollectionEvent> onCollectionValidate(String... tags) {
        return new TaggedHook<>(hooks.collectionValidate, tags);
    }

    public TaggedHook<CollectionEvent> onCollectionCreate(String... tags) {
        return new TaggedHook<>(hooks.collectionCreate, tags);
    }

    public TaggedHook<CollectionEvent> onCollectionCreateExecute(String... tags) {
        return new TaggedHook<>(hooks.collectionCreateExecute, tags);
    }

    public TaggedHook<CollectionEvent> onCollectionAfterCreateSuccess(String... tags) {
        return new TaggedHook<>(hooks.collectionAfterCreateSuccess, tags);
    }

    public TaggedHook<CollectionErrorEvent> onCollectionAfterCreateError(String... tags) {
        return new TaggedHook<>(hooks.collectionAfterCreateError, tags);
    }

    public TaggedHook<CollectionEvent> onCollectionUpdate(String... tags) {
        return new TaggedHook<>(hooks.collectionUpdate, tags);
    }

    public TaggedHook<CollectionEvent> onCollectionUpdateExecute(String... tags) {
        return new TaggedHook<>(hooks.collectionUpdateExecute, tags);
    }

    public TaggedHook<CollectionEvent> onCollectionAfterUpdateSuccess(String... tags) {
        return new TaggedHook<>(hooks.collectionAfterUpdateSuccess, tags);
    }

    public TaggedHook<CollectionErrorEvent> onCollectionAfterUpdateError(String... tags) {
        return new TaggedHook<>(hooks.collectionAfterUpdateError, tags);
    }

    public TaggedHook<CollectionEvent> onCollectionDelete(String... tags) {
        return new TaggedHook<>(hooks.collectionDelete, tags);
    }

    public TaggedHook<CollectionEvent> onCollectionDeleteExecute(String... tags) {
        return new TaggedHook<>(hooks.collectionDeleteExecute, tags);
    }

    public TaggedHook<CollectionEvent> onCollectionAfterDeleteSuccess(String... tags) {
        return new TaggedHook<>(hooks.collectionAfterDeleteSuccess, tags);
    }

    public TaggedHook<CollectionErrorEvent> onCollectionAfterDeleteError(String... tags) {
        return new TaggedHook<>(hooks.collectionAfterDeleteError, tags);
    }
}
