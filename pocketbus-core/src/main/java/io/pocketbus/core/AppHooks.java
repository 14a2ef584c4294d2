package io.pocketbus.core;

import io.pocketbus.tools.hook.Hook;

/** Every hook chain of an {@link App}, PocketBase's {@code On*} families. */
final class AppHooks {
    final Hook<BootstrapEvent> bootstrap = new Hook<>();
    final Hook<TerminateEvent> terminate = new Hook<>();

    final Hook<RecordEvent> recordValidate = new Hook<>();
    final Hook<RecordEvent> recordCreate = new Hook<>();
    final Hook<RecordEvent> recordCreateExecute = new Hook<>();
    final Hook<RecordEvent> recordAfterCreateSuccess = new Hook<>();
    final Hook<RecordErrorEvent> recordAfterCreateError = new Hook<>();
    final Hook<RecordEvent> recordUpdate = new Hook<>();
    final Hook<RecordEvent> recordUpdateExecute = new Hook<>();
    final Hook<RecordEvent> recordAfterUpdateSuccess = new Hook<>();
    final Hook<RecordErrorEvent> recordAfterUpdateError = new Hook<>();
    final Hook<RecordEvent> recordDelete = new Hook<>();
    final Hook<RecordEvent> recordDeleteExecute = new Hook<>();
    final Hook<RecordEvent> recordAfterDeleteSuccess = new Hook<>();
    final Hook<RecordErrorEvent> recordAfterDeleteError = new Hook<>();
    final Hook<RecordEnrichEvent> recordEnrich = new Hook<>();

    final Hook<CollectionEvent> collectionValidate = new Hook<>();
    final Hook<CollectionEvent> collectionCreate = new Hook<>();
    final Hook<CollectionEvent> collectionCreateExecute = new Hook<>();
    final Hook<CollectionEvent> collectionAfterCreateSuccess = new Hook<>();
    final Hook<CollectionErrorEvent> collectionAfterCreateError = new Hook<>();
    final Hook<CollectionEvent> collectionUpdate = new Hook<>();
    final Hook<CollectionEvent> collectionUpdateExecute = new Hook<>();
    final Hook<CollectionEvent> collectionAfterUpdateSuccess = new Hook<>();
    final Hook<CollectionErrorEvent> collectionAfterUpdateError = new Hook<>();
    final Hook<CollectionEvent> collectionDelete = new Hook<>();
    final Hook<CollectionEvent> collectionDeleteExecute = new Hook<>();
    final Hook<CollectionEvent> collectionAfterDeleteSuccess = new Hook<>();
    final Hook<CollectionErrorEvent> collectionAfterDeleteError = new Hook<>();
}
