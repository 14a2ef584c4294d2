package io.pocketbus.broker;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The few NATS header values JetStream reads from a raw header block ({@code NATS/1.0\r\nKey: v\r\n\r\n}),
 * and the status and header blocks it sends. Keys match case-sensitively, in the canonical spelling the
 * clients send; the block itself is stored and delivered byte for byte.
 */
final class JsHeaders {
    static final String MSG_ID = "Nats-Msg-Id";
    static final String EXPECTED_STREAM = "Nats-Expected-Stream";
    static final String EXPECTED_LAST_SEQ = "Nats-Expected-Last-Sequence";
    static final String EXPECTED_LAST_SUBJECT_SEQ = "Nats-Expected-Last-Subject-Sequence";
    static final String EXPECTED_LAST_SUBJECT_SEQ_SUBJECT = "Nats-Expected-Last-Subject-Sequence-Subject";
    static final String EXPECTED_LAST_MSG_ID = "Nats-Expected-Last-Msg-Id";
    static final String ROLLUP = "Nats-Rollup";
    static final String TTL = "Nats-TTL";

    private static final JsHeaders EMPTY = new JsHeaders(Map.of());
    private final Map<String, String> values;

    private JsHeaders(Map<String, String> values) {
        this.values = values;
    }

    /** Parses a header block; the first value of each key wins. */
    static JsHeaders parse(byte[] block) {
        if (block.length == 0) {
            return EMPTY;
        }
        String text = new String(block, StandardCharsets.UTF_8);
        Map<String, String> out = new HashMap<>();
        int lineEnd = text.indexOf("\r\n");
        int p = lineEnd < 0 ? text.length() : lineEnd + 2;
        while (p < text.length()) {
            int e = text.indexOf("\r\n", p);
            if (e < 0) {
                e = text.length();
            }
            if (e == p) {
                break;
            }
            int colon = text.indexOf(':', p);
            if (colon > p && colon < e) {
                out.putIfAbsent(text.substring(p, colon).trim(), text.substring(colon + 1, e).trim());
            }
            p = e + 2;
        }
        return new JsHeaders(out);
    }

    Optional<String> get(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /** A status-only header block such as {@code NATS/1.0 404 No Messages}, with optional extra headers. */
    static byte[] status(String status, String... keyValues) {
        StringBuilder sb = new StringBuilder("NATS/1.0 ").append(status).append("\r\n");
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            sb.append(keyValues[i]).append(": ").append(keyValues[i + 1]).append("\r\n");
        }
        return sb.append("\r\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The stored header block with extra headers appended (direct get, headers-only delivery); an empty
     * block becomes a fresh {@code NATS/1.0} block.
     */
    static byte[] append(byte[] block, String... keyValues) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            sb.append(keyValues[i]).append(": ").append(keyValues[i + 1]).append("\r\n");
        }
        byte[] extra = sb.toString().getBytes(StandardCharsets.UTF_8);
        byte[] head;
        if (block.length >= 4) {
            head = java.util.Arrays.copyOf(block, block.length - 2); // drop the final CRLF
        } else {
            head = "NATS/1.0\r\n".getBytes(StandardCharsets.US_ASCII);
        }
        byte[] out = new byte[head.length + extra.length + 2];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(extra, 0, out, head.length, extra.length);
        out[out.length - 2] = '\r';
        out[out.length - 1] = '\n';
        return out;
    }
}
