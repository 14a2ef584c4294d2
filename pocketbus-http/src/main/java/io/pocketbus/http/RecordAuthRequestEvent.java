package io.pocketbus.http;

import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.tools.hook.Event;
import io.pocketbus.tools.hook.TaggedEvent;
import java.util.List;
import java.util.Objects;

/** Every successful authentication (password, refresh) before the auth response is written. */
public final class RecordAuthRequestEvent extends Event implements TaggedEvent {
    private final RequestEvent request;
    private final Record record;
    private final String authMethod;
    private String token;

    RecordAuthRequestEvent(RequestEvent request, Record record, String token, String authMethod) {
        this.request = request;
        this.record = record;
        this.token = token;
        this.authMethod = authMethod;
    }

    public RequestEvent request() {
        return request;
    }

    public Collection collection() {
        return record.collection();
    }

    public Record record() {
        return record;
    }

    public String token() {
        return token;
    }

    public void setToken(String value) {
        this.token = Objects.requireNonNull(value, "token");
    }

    /** {@code password}, or empty for a refresh. */
    public String authMethod() {
        return authMethod;
    }

    @Override
    public List<String> tags() {
        return List.of(record.collection().id(), record.collection().name());
    }
}
