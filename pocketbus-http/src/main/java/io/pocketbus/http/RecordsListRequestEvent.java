package io.pocketbus.http;

import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.tools.hook.Event;
import io.pocketbus.tools.hook.TaggedEvent;
import java.util.List;

/** A records list request after the search ran, before the records are enriched and written. */
public final class RecordsListRequestEvent extends Event implements TaggedEvent {
    private final RequestEvent request;
    private final Collection collection;
    private final List<Record> records;

    RecordsListRequestEvent(RequestEvent request, Collection collection, List<Record> records) {
        this.request = request;
        this.collection = collection;
        this.records = records;
    }

    public RequestEvent request() {
        return request;
    }

    public Collection collection() {
        return collection;
    }

    /** The page of records found; handlers may remove or reorder them. */
    public List<Record> records() {
        return records;
    }

    @Override
    public List<String> tags() {
        return List.of(collection.id(), collection.name());
    }
}
