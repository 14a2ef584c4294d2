package io.pocketbus.core;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pocketbus.core.spi.MessageBus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Publishes every committed record change on the app's {@link MessageBus}: subject
 * {@code pb.records.<collection>.<create|update|delete>.<recordId>}, data
 * {@code {"action":"create","record":{...}}} with the record as a superuser sees it. Bound to the
 * {@code onRecordAfter*Success} hooks, which run only after the transaction commits, so a rolled-back
 * change is never published.
 */
public final class RecordEvents {
    /** The subject prefix of record events. */
    public static final String PREFIX = "pb.records.";
    /** Every record event. */
    public static final String ALL = PREFIX + ">";

    static final String HANDLER_ID = "__pb_record_events__";

    private RecordEvents() {
    }

    /** Binds the publishing handlers to {@code app}'s success hooks. */
    static void bind(App app) {
        app.hooks.recordAfterCreateSuccess.bind(handler("create"));
        app.hooks.recordAfterUpdateSuccess.bind(handler("update"));
        app.hooks.recordAfterDeleteSuccess.bind(handler("delete"));
    }

    private static io.pocketbus.tools.hook.Handler<RecordEvent> handler(String action) {
        return io.pocketbus.tools.hook.Handler.of(HANDLER_ID, e -> {
            publish(e.app(), action, e.record());
            e.next();
        });
    }

    /** The subject a change of {@code record} is published on. */
    public static String subject(Record record, String action) {
        return PREFIX + record.collection().name() + "." + action + "." + record.id();
    }

    static void publish(App app, String action, Record record) {
        Record view = record.copy().withHiddenFields(true).withEmailVisible(true);
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("action", action);
        payload.put("record", view.toJson());
        byte[] data;
        try {
            data = Field.MAPPER.writeValueAsBytes(payload);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("record event not serialisable: " + e.getMessage(), e);
        }
        app.messageBus().publish(subject(record, action), data);
    }
}
