package io.pocketbus.core;

import io.pocketbus.tools.hook.Event;
import io.pocketbus.tools.hook.TaggedEvent;
import java.util.List;

/** A collection model event; tagged by the collection id and name. */
public class CollectionEvent extends Event implements TaggedEvent {
    private final App app;
    private Collection collection;

    public CollectionEvent(App app, Collection collection) {
        this.app = app;
        this.collection = collection;
    }

    public App app() {
        return app;
    }

    public Collection collection() {
        return collection;
    }

    public void setCollection(Collection collection) {
        this.collection = collection;
    }

    @Override
    public List<String> tags() {
        return List.of(collection.id(), collection.name());
    }
}
