package io.pocketbus.http;

import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.tools.hook.Event;
import io.pocketbus.tools.hook.TaggedEvent;
import java.util.List;
import java.util.Objects;

/**
 * A record view, create, update or delete request, before its default action (the save or delete and the
 * response) runs: handlers may change the record, answer the request themselves without calling
 * {@code e.next()}, or fail it by throwing an {@link io.pocketbus.core.ApiError}.
 */
public final class RecordRequestEvent extends Event implements TaggedEvent {
    private final RequestEvent request;
    private final Collection collection;
    private Record record;

    RecordRequestEvent(RequestEvent request, Collection collection, Record record) {
        this.request = request;
        this.collection = collection;
        this.record = record;
    }

    public RequestEvent request() {
        return request;
    }

    public Collection collection() {
        return collection;
    }

    public Record record() {
        return record;
    }

    public void setRecord(Record value) {
        this.record = Objects.requireNonNull(value, "record");
    }

    @Override
    public List<String> tags() {
        return List.of(collection.id(), collection.name());
    }
}
