package io.pocketbus.core;

import io.pocketbus.core.spi.Dialect;
import io.pocketbus.core.spi.MessageBus;
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
    private volatile CollectionPersistence collectionPersistence;
    private volatile RuleValidator ruleValidator;
    private final FileStorage files;
    private final Optional<ObjectStorage> objectStorage;
    private final java.util.concurrent.ConcurrentHashMap<String, FileStorage> buckets = new java.util.concurrent.ConcurrentHashMap<>();
    private final Tokens tokens = new Tokens(this);
    private final Logs logs = new Logs(this);
    private final Expander expander = new Expander(this);
    private final io.pocketbus.tools.cron.Cron cron = io.pocketbus.tools.cron.Cron.create(
            e -> logs.write(LogEntry.ERROR, "Cron job failed", java.util.Map.of("error", String.valueOf(e.getMessage()))));
    private volatile Settings settings = Settings.defaults();
    private final MessageBus messageBus;
    private final boolean ownsMessageBus;

    private App(Builder b) {
        this.dataDir = b.dataDir;
        this.dialect = b.dialect;
        this.readers = b.readers;
        this.files = b.files != null ? b.files : new LocalFileStorage(dataDir.resolve("storage"));
        this.objectStorage = Optional.ofNullable(b.objectStorage);
        this.ownsMessageBus = b.messageBus == null;
        this.messageBus = ownsMessageBus ? LocalMessageBus.create() : b.messageBus;
        AuthRecordHooks.register(this);
        RecordEvents.bind(this);
        SystemCronJobs.register(this);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Configures an {@link App}: a data directory and a SQL {@link Dialect} are required. */
    public static final class Builder {
        private Path dataDir;
        private Dialect dialect;
        /** A reader is held only for one query, so a few more than cores keeps concurrent reads from queueing. */
        private int readers = 8;
        private MessageBus messageBus;
        private FileStorage files;
        private ObjectStorage objectStorage;

        private Builder() {
        }

        /**
         * The bus record events are published on (default: an in-JVM {@link LocalMessageBus}, closed with
         * the app); a bus given here is left open by {@link App#close()}.
         */
        public Builder messageBus(MessageBus bus) {
            this.messageBus = Objects.requireNonNull(bus, "bus");
            return this;
        }

        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder dialect(Dialect d) {
            this.dialect = d;
            return this;
        }

        /** Reader connections per database (default 8; PocketBase keeps up to 120 read connections open). */
        public Builder readers(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("readers must be >= 1");
            }
            this.readers = n;
            return this;
        }

        /** The storage backend for file fields (default: {@link LocalFileStorage} on {@code <dataDir>/storage}). */
        public Builder fileStorage(FileStorage storage) {
            this.files = Objects.requireNonNull(storage, "storage");
            return this;
        }

        /**
         * The Object Store backend that the {@code objectStore} settings switch file fields to (none by
         * default: then those settings cannot be enabled); closed with the app.
         */
        public Builder objectStorage(ObjectStorage storage) {
            this.objectStorage = Objects.requireNonNull(storage, "storage");
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
            collectionPersistence = new CollectionPersistence(this);
            SystemMigrations.run(this);
            collections.reload();
            settings = loadSettings();
        });
    }

    public boolean isBootstrapped() {
        return db != null;
    }

    /** Runs the {@link #onTerminate()} chain, then closes the databases. */
    @Override
    public void close() {
        hooks.terminate.trigger(new TerminateEvent(this, false), e -> {
            cron.stop();
            closeDatabases();
            objectStorage.ifPresent(ObjectStorage::close);
            if (ownsMessageBus) {
                messageBus.close();
            }
        });
    }

    /** The bus record changes are published on ({@link RecordEvents}). */
    public MessageBus messageBus() {
        return messageBus;
    }

    /**
     * PocketBase's restart, for an embedded app: the {@link #onTerminate()} chain with {@code isRestart()},
     * the databases closed, {@code whileClosed} run (e.g. a backup restore swapping the data directory's files),
     * then {@link #bootstrap()} again. If {@code whileClosed} fails the app is still bootstrapped again.
     */
    public void restart(Runnable whileClosed) {
        try {
            hooks.terminate.trigger(new TerminateEvent(this, true), e -> {
                closeDatabases();
                whileClosed.run();
            });
        } finally {
            bootstrap();
        }
    }

    private void closeDatabases() {
        if (auxDb != null) {
            logs.writePending();
        }
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

    /**
     * The collection as the database holds it: while an edit of a cached instance is being saved, the cache
     * already shows the edit and this still shows what was stored before.
     */
    public Optional<Collection> findStoredCollection(String id) {
        return id.isEmpty() ? Optional.empty() : collectionStore().load(id);
    }

    /** Reloads the collections cache from the database. */
    public void reloadCollections() {
        collectionStore().reload();
    }

    /**
     * Creates or updates the collection (new when its id is not stored yet) through the collection hook
     * chains: validation, then the {@code _collections} row and the table change in one transaction. View
     * collections get their fields inferred from the query.
     */
    public void save(Collection collection) {
        collectionPersistence().save(collection);
    }

    /** Deletes a collection and its table; refused for system collections and referenced collections. */
    public void delete(Collection collection) {
        collectionPersistence().delete(collection);
    }

    /** Deletes every record of the collection (cascades and hooks apply), in one transaction. */
    public void truncate(Collection collection) {
        collectionPersistence().truncate(collection);
    }

    /** Imports a collections configuration in one transaction (PocketBase's {@code PUT /api/collections/import}). */
    public void importCollections(List<Collection> collections, boolean deleteMissing) {
        collectionPersistence().importCollections(collections, deleteMissing);
    }

    /** Registers the check run on every API rule when a collection is saved. */
    public void setRuleValidator(RuleValidator validator) {
        this.ruleValidator = validator;
    }

    public Optional<RuleValidator> ruleValidator() {
        return Optional.ofNullable(ruleValidator);
    }

    private CollectionPersistence collectionPersistence() {
        CollectionPersistence p = collectionPersistence;
        if (p == null) {
            throw new IllegalStateException("the app is not bootstrapped");
        }
        return p;
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

    /** The first record whose {@code field} equals {@code value}, if any. */
    public Optional<Record> findFirstRecordByData(Collection collection, String field, Object value) {
        return findRecordsByField(collection, field, value).stream().findFirst();
    }

    /** An auth record by email, compared case-insensitively as PocketBase does. */
    public Optional<Record> findAuthRecordByEmail(String collectionNameOrId, String email) {
        Optional<Collection> c = findCollectionByNameOrId(collectionNameOrId).filter(Collection::isAuth);
        if (c.isEmpty() || email.isEmpty()) {
            return Optional.empty();
        }
        return findRecordsBySql(c.get(), "SELECT * FROM " + SchemaSql.quote(c.get().tableName())
                + " WHERE email = ? COLLATE NOCASE LIMIT 1", List.of(email)).stream().findFirst();
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
        hooks.recordValidate.trigger(new RecordEvent(this, record), e -> persistence().validate(e.record(), e.record().isNew()));
    }

    /**
     * Deletes the record through the delete hook chains, in one transaction: referencing records are
     * cascade-deleted, unlinked, or the delete is refused when a required relation would be left empty.
     */
    public void delete(Record record) {
        persistence().delete(record);
    }

    /** A refreshable auth token for an auth record (duration from the collection's {@code authToken}). */
    public String newAuthToken(Record record) {
        return tokens.newAuthToken(record);
    }

    /** A non-refreshable auth token (impersonation); zero means the collection's default duration. */
    public String newStaticAuthToken(Record record, java.time.Duration duration) {
        return tokens.newStaticAuthToken(record, duration);
    }

    /** A short-lived token for protected files. */
    public String newFileToken(Record record) {
        return tokens.newFileToken(record);
    }

    public String newVerificationToken(Record record) {
        return tokens.newVerificationToken(record);
    }

    public String newPasswordResetToken(Record record) {
        return tokens.newPasswordResetToken(record);
    }

    public String newEmailChangeToken(Record record, String newEmail) {
        return tokens.newEmailChangeToken(record, newEmail);
    }

    /**
     * The auth record a valid token of {@code type} belongs to: claims parsed, record loaded, signature
     * checked with {@code tokenKey + secret}, expiry checked. Empty for anything invalid.
     */
    public Optional<Record> findAuthRecordByToken(String token, AuthOptions.TokenType type) {
        return tokens.verify(token, type).map(Tokens.Verified::record);
    }

    /** The verified claims of a token of {@code type} (e.g. {@code refreshable}, {@code email}, {@code newEmail}). */
    public Optional<com.fasterxml.jackson.databind.node.ObjectNode> verifyTokenClaims(String token,
                                                                                   AuthOptions.TokenType type) {
        return tokens.verify(token, type).map(Tokens.Verified::claims);
    }

    /** A copy of the current settings. */
    public Settings settings() {
        return settings.copy();
    }

    /**
     * The current settings without copying, for read-only use on hot paths (every request reads them); callers
     * must not modify the result — {@link #settings()} gives a copy to change and save.
     */
    public Settings currentSettings() {
        return settings;
    }

    /** Validates and stores the settings ({@code _params} row {@code settings}); 400 with field errors if invalid. */
    public void saveSettings(Settings newSettings) {
        java.util.Map<String, Object> errors = newSettings.validate();
        if (newSettings.objectStoreEnabled() && objectStorage.isEmpty() && !errors.containsKey("objectStore")) {
            errors.put("objectStore", java.util.Map.of("enabled", ValidationError.of("validation_object_store_unavailable",
                    "The Object Store needs the NATS broker.")));
        }
        if (!errors.isEmpty()) {
            throw ApiError.badRequest("An error occurred while submitting the form.", errors);
        }
        String now = io.pocketbus.tools.types.DateTime.now().toString();
        String value = SchemaSql.json(newSettings.toJson());
        db().exec("INSERT INTO `_params` (id, value, created, updated) VALUES ('settings', ?, ?, ?) "
                + "ON CONFLICT(id) DO UPDATE SET value = excluded.value, updated = excluded.updated", List.of(value, now, now));
        Settings stored = newSettings.copy();
        db().onCommit(() -> settings = stored);
    }

    private Settings loadSettings() {
        return db().queryOne("SELECT value FROM `_params` WHERE id = 'settings'", List.of(), rs -> rs.getString(1))
                .map(text -> {
                    try {
                        return Settings.fromJson(Field.MAPPER.readTree(text));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException("corrupt settings in _params: " + e.getMessage(), e);
                    }
                })
                .orElseGet(Settings::defaults);
    }

    /**
     * The cron scheduler, holding PocketBase's system jobs ({@code __pbLogsCleanup__}, {@code __pbDBOptimize__});
     * the server starts it, {@link #close()} stops it.
     */
    public io.pocketbus.tools.cron.Cron cron() {
        return cron;
    }

    /** The logs in auxiliary.db. */
    public Logs logs() {
        return logs;
    }

    /**
     * The file fields' storage as the current settings select it, like PocketBase's {@code NewFilesystem}: the
     * Object Store bucket when {@code objectStore.enabled} is on, else {@link #localFiles()}. Switching the
     * settings takes effect at once; files are not moved between backends.
     */
    public FileStorage files() {
        Settings current = settings;
        if (!current.objectStoreEnabled()) {
            return files;
        }
        ObjectStorage store = objectStorage.orElseThrow(() -> ApiError.internal(
                "The Object Store backend is not available.", new IllegalStateException("no ObjectStorage configured")));
        return buckets.computeIfAbsent(current.objectStoreBucket(), store::open);
    }

    /** The data directory's storage: {@link LocalFileStorage} on {@code <dataDir>/storage} unless the builder set one. */
    public FileStorage localFiles() {
        return files;
    }

    private RecordPersistence persistence() {
        RecordPersistence p = persistence;
        if (p == null) {
            throw new IllegalStateException("the app is not bootstrapped");
        }
        return p;
    }

    /**
     * Prepares a record for a client through the {@link #onRecordEnrich} chain. The default action shows
     * hidden fields to superusers and the email to superusers and to the record itself; handlers (or the
     * caller, e.g. after a manageRule check) may change the visibility further.
     */
    public void enrichRecord(Record record, RequestInfo requestInfo) {
        hooks.recordEnrich.trigger(new RecordEnrichEvent(this, record, requestInfo), e -> {
            boolean superuser = requestInfo.isSuperuser();
            boolean owner = requestInfo.auth().map(a -> a.collection().id().equals(record.collection().id())
                    && a.id().equals(record.id())).orElse(false);
            e.record().withHiddenFields(superuser);
            if (superuser || owner) {
                e.record().withEmailVisible(true);
            }
        });
    }

    /**
     * The record of a source collection that holds a view collection's file (PocketBase's
     * {@code FindRecordByViewFile}): view files are stored, and served, under that record's path.
     */
    public Optional<Record> findRecordByViewFile(Collection view, String fileFieldName, String filename) {
        if (!view.isView()) {
            return Optional.empty();
        }
        return ViewFields.findRecordByViewFile(this, view, fileFieldName, filename);
    }

    /** Records of {@code collection} with the given ids (any order; unknown ids are skipped). */
    public List<Record> findRecordsByIds(Collection collection, List<String> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        String placeholders = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        return findRecordsBySql(collection, "SELECT * FROM " + SchemaSql.quote(collection.tableName())
                + " WHERE id IN (" + placeholders + ")", ids);
    }

    /**
     * Fills {@code expand} of the records (all of one collection) for PocketBase's {@code ?expand=} string,
     * loading every related record through {@code fetcher} (which applies access rules).
     */
    public void expandRecords(List<Record> records, String expand, ExpandFetcher fetcher) {
        expander.expand(records, expand, fetcher);
    }

    /** Expands without access checks (superuser view; hidden fields shown). */
    public void expandRecords(List<Record> records, String expand) {
        expander.expand(records, expand, (c, ids) -> {
            List<Record> found = findRecordsByIds(c, ids);
            found.forEach(r -> r.withHiddenFields(true).withEmailVisible(true));
            return found;
        });
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
