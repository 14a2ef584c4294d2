package io.pocketbus.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * One of a stream's {@code sources}: copies the origin's messages (those matching the source's filter)
 * into the stream as new messages, each with a {@code Nats-Stream-Source: <origin> <seq>} header. That
 * header is how the position is found again after a restart.
 */
final class JsSource extends JsFollower {
    static final String HEADER = "Nats-Stream-Source";

    private final String filter;
    private final long optStartSeq;
    private final long optStartTime;
    /** The last origin sequence copied; 0 before the first. */
    private volatile long position;

    JsSource(JsStream target, JsonNode source, long recoveredPosition) {
        super(target, source.get("name").asText());
        String f = JsJson.getText(source, "filter_subject", "");
        this.filter = f.isEmpty() ? ">" : f;
        this.optStartSeq = JsJson.getLong(source, "opt_start_seq", 0);
        this.optStartTime = JsJson.parseTime(JsJson.getText(source, "opt_start_time", ""));
        this.position = recoveredPosition;
    }

    /** The origin and sequence a sourced message came from, from its header block. */
    static Optional<String[]> sourceOf(byte[] headers) {
        return JsHeaders.parse(headers).get(HEADER).map(v -> v.split(" "));
    }

    @Override
    void copy() {
        Optional<JsStream> source = target.context().stream(origin);
        if (source.isEmpty()) {
            return;
        }
        StreamStore from = source.get().store();
        long next = position + 1;
        if (position == 0) {
            if (optStartSeq > 0) {
                next = optStartSeq;
            } else if (optStartTime > 0) {
                next = from.sequenceAt(optStartTime);
            }
        }
        for (Optional<StoredMsg> m = from.loadNextMsg(filter, next); m.isPresent() && !isStopped();
                m = from.loadNextMsg(filter, m.get().seq() + 1)) {
            StoredMsg msg = m.get();
            byte[] headers = JsHeaders.append(msg.headers(), HEADER, origin + " " + msg.seq());
            byte[] ack = target.publish(msg.subject(), headers, msg.payload(), true);
            if (new String(ack, StandardCharsets.UTF_8).startsWith("{\"error\"")) {
                // Refused (limits, sealed): try again later from the same message.
                return;
            }
            position = msg.seq();
            lastActive = System.nanoTime();
        }
    }

    /** An entry of StreamInfo's {@code sources}. */
    ObjectNode info() {
        ObjectNode n = JsJson.object();
        n.put("name", origin);
        long originLast = target.context().stream(origin).map(s -> s.store().fastState().lastSeq()).orElse(0L);
        n.put("lag", Math.max(0, originLast - position));
        long active = lastActive;
        n.put("active", active == 0 ? -1 : System.nanoTime() - active);
        if (!filter.equals(">")) {
            n.put("filter_subject", filter);
        }
        return n;
    }
}
