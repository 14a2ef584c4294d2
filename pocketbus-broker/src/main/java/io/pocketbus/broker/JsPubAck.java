package io.pocketbus.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;

/**
 * The JetStream publish acknowledgement: {@code {"stream":"S","seq":N}} or an error with seq 0. A stream
 * renders its constant start once ({@link #prefix}); each PubAck only appends the sequence.
 */
final class JsPubAck {
    private static final byte[] DUPLICATE = ",\"duplicate\": true}".getBytes(StandardCharsets.US_ASCII);

    private JsPubAck() {
    }

    /** {@code {"stream":"S"[,"domain":"D"],"seq":}}, what every PubAck of the stream starts with. */
    static byte[] prefix(String stream, String domain) {
        StringBuilder sb = new StringBuilder(48).append("{\"stream\":");
        Json.quote(sb, stream);
        if (!domain.isEmpty()) {
            Json.quote(sb.append(",\"domain\":"), domain);
        }
        return sb.append(",\"seq\":").toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] ok(byte[] prefix, long seq, boolean duplicate) {
        int digits = 1;
        for (long v = seq; v >= 10; v /= 10) {
            digits++;
        }
        byte[] out = new byte[prefix.length + digits + (duplicate ? DUPLICATE.length : 1)];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        int end = prefix.length + digits;
        for (long v = seq, p = end - 1; p >= prefix.length; v /= 10, p--) {
            out[(int) p] = (byte) ('0' + v % 10);
        }
        if (duplicate) {
            System.arraycopy(DUPLICATE, 0, out, end, DUPLICATE.length);
        } else {
            out[end] = '}';
        }
        return out;
    }

    static byte[] error(String stream, JetStreamError e) {
        ObjectNode n = JsJson.object();
        n.set("error", e.toJson());
        n.put("stream", stream);
        n.put("seq", 0);
        return JsJson.bytes(n);
    }
}
