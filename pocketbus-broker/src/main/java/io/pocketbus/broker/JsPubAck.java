package io.pocketbus.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JetStream publish acknowledgement: {@code {"stream":"S","seq":N}} or an error with seq 0. */
final class JsPubAck {
    private JsPubAck() {
    }

    static byte[] ok(String stream, String domain, long seq, boolean duplicate) {
        StringBuilder sb = new StringBuilder(48).append("{\"stream\":");
        Json.quote(sb, stream);
        if (!domain.isEmpty()) {
            Json.quote(sb.append(",\"domain\":"), domain);
        }
        sb.append(",\"seq\":").append(seq);
        if (duplicate) {
            sb.append(",\"duplicate\": true");
        }
        return sb.append('}').toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static byte[] error(String stream, JetStreamError e) {
        ObjectNode n = JsJson.object();
        n.set("error", e.toJson());
        n.put("stream", stream);
        n.put("seq", 0);
        return JsJson.bytes(n);
    }
}
