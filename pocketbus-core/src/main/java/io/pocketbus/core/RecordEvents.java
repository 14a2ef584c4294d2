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
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecordEvents.class);
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
            // an empty id means a handler stopped the save before anything was stored
            if (!e.record().id().isEmpty()) {
                try {
                    publish(e.app(), action, e.record());
                } catch (RuntimeException err) {
                    // the change is committed: a bus failure must not turn it into an error
                    LOG.warn("record event {} of {} not published", action, e.record(), err);
                }
            }
            e.next();
        });
    }

    /**
     * The subject a change of {@code record} is published on. Characters that cannot appear in a subject
     * token ({@code . * >}, whitespace, {@code %}) are percent-encoded in the id.
     */
    public static String subject(Record record, String action) {
        return PREFIX + record.collection().name() + "." + action + "." + token(record.id());
    }

    private static String token(String id) {
        StringBuilder out = new StringBuilder(id.length());
        for (char ch : id.toCharArray()) {
            if (ch == '.' || ch == '*' || ch == '>' || ch == '%' || Character.isWhitespace(ch)) {
                out.append('%').append(String.format("%02X", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
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
