package io.pocketbus.core;

/** The after-error stage of a record create/update/delete. */
public class RecordErrorEvent extends RecordEvent {
    private final RuntimeException error;

    public RecordErrorEvent(App app, Record record, RuntimeException error) {
        super(app, record);
        this.error = error;
    }

    public RuntimeException error() {
        return error;
    }
}
