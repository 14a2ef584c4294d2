package io.pocketbus.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * Keeps a mirror stream a copy of its origin in the same account, with the origin's sequence numbers
 * and timestamps (nats-server's {@code mirror}). The position is the mirror's own last sequence, so a
 * restart resumes exactly where the copy stopped.
 */
final class JsMirror extends JsFollower {
    private final long optStartSeq;
    private final long optStartTime;

    JsMirror(JsStream target, JsonNode mirror) {
        super(target, mirror.get("name").asText());
        this.optStartSeq = JsJson.getLong(mirror, "opt_start_seq", 0);
        this.optStartTime = JsJson.parseTime(JsJson.getText(mirror, "opt_start_time", ""));
    }

    @Override
    void copy() {
        Optional<JsStream> source = target.context().stream(origin);
        if (source.isEmpty()) {
            return;
        }
        StreamStore from = source.get().store();
        long next = target.store().fastState().lastSeq() + 1;
        if (next == 1) {
            if (optStartSeq > 0) {
                next = optStartSeq;
            } else if (optStartTime > 0) {
                next = from.sequenceAt(optStartTime);
            }
        }
        for (Optional<StoredMsg> m = from.loadNextMsg(">", next); m.isPresent() && !isStopped();
                m = from.loadNextMsg(">", m.get().seq() + 1)) {
            target.storeMirrored(m.get());
            lastActive = System.nanoTime();
        }
    }

    /** The {@code mirror} object of StreamInfo: how far behind the origin the copy is. */
    ObjectNode info() {
        ObjectNode n = JsJson.object();
        n.put("name", origin);
        long originLast = target.context().stream(origin).map(s -> s.store().fastState().lastSeq()).orElse(0L);
        n.put("lag", Math.max(0, originLast - target.store().fastState().lastSeq()));
        long active = lastActive;
        n.put("active", active == 0 ? -1 : System.nanoTime() - active);
        return n;
    }
}
