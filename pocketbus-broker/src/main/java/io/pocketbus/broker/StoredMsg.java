package io.pocketbus.broker;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message as a stream store holds it.
 *
 * @param subject the subject it was published on
 * @param headers the raw NATS header block ({@code NATS/1.0\r\n...}), empty when the message had none
 * @param payload the message body
 * @param seq the stream sequence
 * @param timestamp when it was stored, in nanoseconds since the epoch
 */
public record StoredMsg(String subject, byte[] headers, byte[] payload, long seq, long timestamp) {

    public StoredMsg {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(payload, "payload");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StoredMsg m && seq == m.seq && timestamp == m.timestamp && subject.equals(m.subject)
                && Arrays.equals(headers, m.headers) && Arrays.equals(payload, m.payload);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subject, seq, timestamp, Arrays.hashCode(headers), Arrays.hashCode(payload));
    }

    @Override
    public String toString() {
        return "StoredMsg[seq=" + seq + ", subject=" + subject + ", ts=" + timestamp + ", headers="
                + headers.length + "B, payload=" + payload.length + "B]";
    }
}
