package io.pocketbus.core;

import io.pocketbus.tools.hook.Event;
import io.pocketbus.tools.hook.TaggedEvent;
import java.util.List;

/** A record model event (validate, create, update, delete and their stages); tagged by collection id and name. */
public class RecordEvent extends Event implements TaggedEvent {
    private final App app;
    private Record record;

    public RecordEvent(App app, Record record) {
        this.app = app;
        this.record = record;
    }

    public App app() {
        return app;
    }

    public Record record() {
        return record;
    }

    /** Lets a handler swap the record before the default action runs. */
    public void setRecord(Record record) {
        this.record = record;
    }

    @Override
    public List<String> tags() {
        return List.of(record.collection().id(), record.collection().name());
    }
}
