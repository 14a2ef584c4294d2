package io.pocketbus.core;

import java.util.Optional;

/** Fired per record before it is serialised for a client (hide/unhide fields, add custom data). */
public class RecordEnrichEvent extends RecordEvent {
    private final RequestInfo requestInfo;

    public RecordEnrichEvent(App app, Record record, RequestInfo requestInfo) {
        super(app, record);
        this.requestInfo = requestInfo;
    }

    public RequestInfo requestInfo() {
        return requestInfo;
    }

    public Optional<Record> auth() {
        return requestInfo.auth();
    }
}
