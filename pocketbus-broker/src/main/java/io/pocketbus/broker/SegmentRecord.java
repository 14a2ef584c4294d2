package io.pocketbus.broker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The record layout of segment files, little-endian:
 *
 * <pre>
 * int  total length (header + body + checksum)
 * byte kind
 * long sequence
 * long timestamp (ns)
 * u16  subject length
 * int  header length
 * subject · headers · payload
 * int  CRC32C of everything before it
 * </pre>
 *
 * Besides messages there are records that make removals durable: a tombstone for one sequence, an erased
 * message (same length, contents zeroed), a run of skipped sequences, and a "first" marker saying nothing
 * below a sequence exists any more (purge, compact).
 */
final class SegmentRecord {

    static final int HEADER = 27;
    static final int TRAILER = 4;
    static final int MAX_SUBJECT = 0xFFFF;

    static final byte MSG = 1;
    static final byte TOMBSTONE = 2;
    static final byte ERASED = 3;
    static final byte SKIP = 4;
    static final byte FIRST = 5;

    final int length;
    final byte kind;
    final long seq;
    final long timestamp;
    final String subject;
    final byte[] headers;
    final byte[] payload;
    final int headerLength;
    final int payloadLength;

    private SegmentRecord(int length, byte kind, long seq, long timestamp, String subject, byte[] headers,
            byte[] payload, int headerLength, int payloadLength) {
        this.headerLength = headerLength;
        this.payloadLength = payloadLength;
        this.length = length;
        this.kind = kind;
        this.seq = seq;
        this.timestamp = timestamp;
        this.subject = subject;
        this.headers = headers;
        this.payload = payload;
    }

    static int length(byte[] subject, byte[] headers, byte[] payload) {
        return HEADER + subject.length + headers.length + payload.length + TRAILER;
    }

    /** Appends a record to {@code out} (which must have room) and returns its length. */
    static int write(ByteBuffer out, byte kind, long seq, long timestamp, byte[] subject, byte[] headers,
            byte[] payload) {
        if (subject.length > MAX_SUBJECT) {
            throw new StoreException(StoreException.Kind.MSG_TOO_LARGE);
        }
        int start = out.position();
        int len = length(subject, headers, payload);
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(len).put(kind).putLong(seq).putLong(timestamp).putShort((short) subject.length)
                .putInt(headers.length).put(subject).put(headers).put(payload);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + start, len - TRAILER);
        out.putInt((int) crc.getValue());
        return len;
    }

    static int writeMarker(ByteBuffer out, byte kind, long seq, long timestamp, byte[] payload) {
        return write(out, kind, seq, timestamp, new byte[0], new byte[0], payload);
    }

    /** The length field of a record starting at {@code pos}, or -1 when fewer than 4 bytes remain. */
    static int peekLength(byte[] buf, int pos, int limit) {
        if (limit - pos < 4) {
            return -1;
        }
        return intAt(buf, pos);
    }

    /** The little-endian int at {@code at}: records are decoded straight from the array, one per message read. */
    private static int intAt(byte[] b, int at) {
        return b[at] & 0xFF | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static long longAt(byte[] b, int at) {
        return intAt(b, at) & 0xFFFFFFFFL | (long) intAt(b, at + 4) << 32;
    }

    /** The length of the whole, checksum-valid record at {@code pos}, or -1 (parses nothing else). */
    static int checkedLength(byte[] buf, int pos, int limit) {
        int len = peekLength(buf, pos, limit);
        if (len < HEADER + TRAILER || len > limit - pos) {
            return -1;
        }
        CRC32C crc = new CRC32C();
        crc.update(buf, pos, len - TRAILER);
        int stored = ByteBuffer.wrap(buf, pos + len - TRAILER, TRAILER).order(ByteOrder.LITTLE_ENDIAN).getInt();
        return stored == (int) crc.getValue() ? len : -1;
    }

    /**
     * Parses and checks the record at {@code pos}; null when the bytes there are not a whole valid record
     * (a torn or corrupt tail). Without {@code withBody} a message's headers and payload are left out,
     * as recovery only needs its subject and size.
     */
    static SegmentRecord parse(byte[] buf, int pos, int limit, boolean withBody) {
        int len = peekLength(buf, pos, limit);
        if (len < HEADER + TRAILER || len > limit - pos) {
            return null;
        }
        CRC32C crc = new CRC32C();
        crc.update(buf, pos, len - TRAILER);
        if (intAt(buf, pos + len - TRAILER) != (int) crc.getValue()) {
            return null;
        }
        byte kind = buf[pos + 4];
        long seq = longAt(buf, pos + 5);
        long ts = longAt(buf, pos + 13);
        int subjLen = buf[pos + 21] & 0xFF | (buf[pos + 22] & 0xFF) << 8;
        int hdrLen = intAt(buf, pos + 23);
        int payloadLen = len - HEADER - TRAILER - subjLen - hdrLen;
        if (kind < MSG || kind > FIRST || hdrLen < 0 || payloadLen < 0) {
            return null;
        }
        int at = pos + HEADER;
        String subject = new String(buf, at, subjLen, StandardCharsets.UTF_8);
        if (kind == MSG && !withBody) {
            return new SegmentRecord(len, kind, seq, ts, subject, new byte[0], new byte[0], hdrLen, payloadLen);
        }
        byte[] headers = new byte[hdrLen];
        System.arraycopy(buf, at + subjLen, headers, 0, hdrLen);
        byte[] payload = new byte[payloadLen];
        System.arraycopy(buf, at + subjLen + hdrLen, payload, 0, payloadLen);
        return new SegmentRecord(len, kind, seq, ts, subject, headers, payload, hdrLen, payloadLen);
    }

    /** The count a {@link #SKIP} record carries. */
    long skipCount() {
        return ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    static byte[] skipPayload(long count) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(count).array();
    }

    StoredMsg toMsg() {
        return new StoredMsg(subject, headers, payload, seq, timestamp);
    }
}
