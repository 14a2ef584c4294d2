package io.pocketbus.core;

/** The after-error stage of a collection create/update/delete. */
public class CollectionErrorEvent extends CollectionEvent {
    private final RuntimeException error;

    public CollectionErrorEvent(App app, Collection collection, RuntimeException error) {
        super(app, collection);
        this.error = error;
    }

    public RuntimeException error() {
        return error;
    }
}
