package io.pocketbus.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.ThreadLocalRandom;

/**
 * JetStream advisories ({@code $JS.EVENT.ADVISORY.…}) in nats-server's schema: {@code type}, {@code id},
 * {@code timestamp}, the event's fields, and {@code domain} when one is set. Built only when someone
 * listens on the subject.
 */
final class JsAdvisory {
    static final String PREFIX = "$JS.EVENT.ADVISORY.";
    private static final String TYPE = "io.nats.jetstream.advisory.v1.";
    private static final String ALPHANUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private JsAdvisory() {
    }

    /** Whether anybody listens; advisories nobody receives are not built. */
    static boolean wanted(JsContext ctx, String subject) {
        return ctx.output().hasInterest(subject);
    }

    /** An advisory body with the common fields; the caller adds the event's own. */
    static ObjectNode body(String type) {
        ObjectNode n = JsJson.object();
        n.put("type", TYPE + type);
        StringBuilder id = new StringBuilder(22);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 22; i++) {
            id.append(ALPHANUM.charAt(r.nextInt(ALPHANUM.length())));
        }
        n.put("id", id.toString());
        n.put("timestamp", JsJson.time(JsJson.nowNanos()));
        return n;
    }

    static void send(JsContext ctx, String subject, ObjectNode body) {
        if (!ctx.domain().isEmpty()) {
            body.put("domain", ctx.domain());
        }
        ctx.output().publish(subject, "", new byte[0], JsJson.bytes(body));
    }

    /** {@code STREAM.CREATED|UPDATED|DELETED.<stream>}: a {@code stream_action} advisory. */
    static void streamAction(JsContext ctx, String stream, String action) {
        String event = switch (action) {
            case "create" -> "CREATED";
            case "modify" -> "UPDATED";
            default -> "DELETED";
        };
        String subject = PREFIX + "STREAM." + event + "." + stream;
        if (wanted(ctx, subject)) {
            ObjectNode n = body("stream_action");
            n.put("stream", stream);
            n.put("action", action);
            send(ctx, subject, n);
        }
    }

    /** {@code CONSUMER.CREATED|DELETED.<stream>.<consumer>}: a {@code consumer_action} advisory. */
    static void consumerAction(JsContext ctx, String stream, String consumer, String action) {
        String subject = PREFIX + "CONSUMER." + ("create".equals(action) ? "CREATED" : "DELETED") + "." + stream + "." + consumer;
        if (wanted(ctx, subject)) {
            ObjectNode n = body("consumer_action");
            n.put("stream", stream);
            n.put("consumer", consumer);
            n.put("action", action);
            send(ctx, subject, n);
        }
    }

    /** A delivery event: {@code MAX_DELIVERIES}, {@code MSG_TERMINATED} or {@code MSG_NAKED}. */
    static void delivery(JsContext ctx, String event, String type, String stream, String consumer, long consumerSeq,
            long streamSeq, long deliveries, String reason) {
        String subject = PREFIX + "CONSUMER." + event + "." + stream + "." + consumer;
        if (wanted(ctx, subject)) {
            ObjectNode n = body(type);
            n.put("stream", stream);
            n.put("consumer", consumer);
            if (consumerSeq > 0) {
                n.put("consumer_seq", consumerSeq);
            }
            n.put("stream_seq", streamSeq);
            n.put("deliveries", deliveries);
            if (!reason.isEmpty()) {
                n.put("reason", reason);
            }
            send(ctx, subject, n);
        }
    }
}
