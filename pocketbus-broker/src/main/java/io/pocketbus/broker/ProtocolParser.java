package io.pocketbus.broker;

import java.nio.charset.StandardCharsets;

/**
 * The client-to-server half of the NATS protocol as a push parser over byte chunks: no I/O, no
 * allocation per message. Control-line arguments are copied into a reused buffer; a payload that lies
 * wholly in the chunk is handed out in place, otherwise it is assembled in a reused buffer. Errors are
 * thrown as {@link ProtocolViolation} with nats-server's text (or none where it closes silently).
 */
final class ProtocolParser {

    /** What the parser reports. Implementations may throw {@link ProtocolViolation}. */
    interface Handler {
        /** True until CONNECT was processed on a server that requires authentication. */
        boolean awaitingConnect();

        boolean headersEnabled();

        int maxPayload();

        void onConnect(String json);

        void onPub(Message message);

        void onSub(String subject, String queue, String sid);

        void onUnsub(String sid, long max);

        void onPing();

        void onPong();
    }

    /** A PUB or HPUB, valid only during {@link Handler#onPub}. */
    static final class Message {
        byte[] args;
        int subjectOffset;
        int subjectLength;
        int replyOffset;
        /** 0 when the message has no reply subject. */
        int replyLength;
        /** -1 for PUB, the header block size for HPUB. */
        int headerLength;
        int totalLength;
        byte[] payload;
        int payloadOffset;

        boolean hasHeaders() {
            return headerLength >= 0;
        }

        /** A message built by the server (forwarded or generated) rather than parsed. */
        static Message of(byte[] subject, byte[] reply, int headerLength, byte[] payload, int payloadOffset,
                int totalLength) {
            Message m = new Message();
            m.args = new byte[subject.length + reply.length];
            System.arraycopy(subject, 0, m.args, 0, subject.length);
            System.arraycopy(reply, 0, m.args, subject.length, reply.length);
            m.subjectOffset = 0;
            m.subjectLength = subject.length;
            m.replyOffset = subject.length;
            m.replyLength = reply.length;
            m.headerLength = headerLength;
            m.totalLength = totalLength;
            m.payload = payload;
            m.payloadOffset = payloadOffset;
            return m;
        }
    }

    private enum Op { PUB, HPUB, SUB, UNSUB, PING, PONG, CONNECT, INFO, OK, ERR }

    private static final String[] OP_NAMES = {"PUB", "HPUB", "SUB", "UNSUB", "PING", "PONG", "CONNECT", "INFO", "+OK", "-ERR"};
    private static final Op[] OPS = Op.values();

    private enum State { OP, SKIP_LINE, ARG_SPACE, ARG, PAYLOAD, PAYLOAD_CR, PAYLOAD_LF }

    private final Handler handler;
    private final int maxControlLine;
    private final Message message = new Message();
    private State state = State.OP;
    private final char[] opChars = new char[8];
    private int opLength;
    private Op op;
    private byte[] line = new byte[128];
    private int lineLength;
    private byte[] payloadBuffer = new byte[0];
    private int payloadFilled;

    ProtocolParser(Handler handler, int maxControlLine) {
        this.handler = handler;
        this.maxControlLine = maxControlLine;
    }

    void parse(byte[] buf, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            switch (state) {
                case OP -> i = parseOp(buf, i, end);
                case SKIP_LINE -> {
                    while (i < end && buf[i] != '\n') {
                        i++;
                    }
                    if (i < end) {
                        i++;
                        finishNoArgOp();
                    }
                }
                case ARG_SPACE -> {
                    byte b = buf[i];
                    if (b == ' ' || b == '\t') {
                        i++;
                    } else {
                        state = State.ARG;
                        lineLength = 0;
                    }
                }
                case ARG -> i = parseArg(buf, i, end);
                case PAYLOAD -> i = parsePayload(buf, i, end);
                case PAYLOAD_CR -> {
                    if (buf[i++] != '\r') {
                        throw ProtocolViolation.withError(ProtocolViolation.UNKNOWN_OPERATION);
                    }
                    state = State.PAYLOAD_LF;
                }
                case PAYLOAD_LF -> {
                    if (buf[i++] != '\n') {
                        throw ProtocolViolation.withError(ProtocolViolation.UNKNOWN_OPERATION);
                    }
                    message.payload = payloadBuffer;
                    message.payloadOffset = 0;
                    state = State.OP;
                    handler.onPub(message);
                }
            }
        }
    }

    private int parseOp(byte[] buf, int i, int end) {
        if (opLength == 0) {
            int fast = publishOp(buf, i, end);
            if (fast > 0) {
                if (handler.awaitingConnect()) {
                    throw ProtocolViolation.withError(ProtocolViolation.AUTHORIZATION);
                }
                state = State.ARG_SPACE;
                lineLength = 0;
                return i + fast;
            }
        }
        while (i < end) {
            byte b = buf[i];
            if (opLength == 0 && handler.awaitingConnect() && b != 'C' && b != 'c') {
                throw ProtocolViolation.withError(ProtocolViolation.AUTHORIZATION);
            }
            if (b == ' ' || b == '\t') {
                Op full = fullOp();
                if (full == null || !takesArgs(full)) {
                    if (full != null) {
                        op = full;
                        state = State.SKIP_LINE;
                        return i + 1;
                    }
                    throw ProtocolViolation.withError(ProtocolViolation.UNKNOWN_OPERATION);
                }
                op = full;
                opLength = 0;
                state = State.ARG_SPACE;
                lineLength = 0;
                return i + 1;
            }
            if (b == '\r' || b == '\n') {
                Op full = fullOp();
                if (full == null || takesArgs(full)) {
                    throw ProtocolViolation.withError(ProtocolViolation.UNKNOWN_OPERATION);
                }
                op = full;
                state = State.SKIP_LINE;
                return i;
            }
            if (opLength == opChars.length || !extendsAnOp(Character.toUpperCase((char) (b & 0xff)))) {
                throw ProtocolViolation.withError(ProtocolViolation.UNKNOWN_OPERATION);
            }
            opChars[opLength++] = Character.toUpperCase((char) (b & 0xff));
            i++;
            Op full = fullOp();
            if (full != null && !takesArgs(full) && full != Op.ERR) {
                // PING, PONG and +OK ignore whatever follows on their line, as nats-server does.
                op = full;
                state = State.SKIP_LINE;
                return i;
            }
        }
        return i;
    }

    /**
     * Recognises {@code PUB } and {@code HPUB } (any case) whole at {@code i}, the operations that carry the
     * traffic, without the letter-by-letter matching the other operations go through; sets {@link #op} and
     * returns how many bytes they take, or 0.
     */
    private int publishOp(byte[] buf, int i, int end) {
        int p = i;
        boolean headers = false;
        if (p < end && (buf[p] | 0x20) == 'h') {
            headers = true;
            p++;
        }
        if (end - p < 4 || (buf[p] | 0x20) != 'p' || (buf[p + 1] | 0x20) != 'u' || (buf[p + 2] | 0x20) != 'b'
                || buf[p + 3] != ' ' && buf[p + 3] != '\t') {
            return 0;
        }
        op = headers ? Op.HPUB : Op.PUB;
        return p + 4 - i;
    }

    private static boolean takesArgs(Op op) {
        return op == Op.PUB || op == Op.HPUB || op == Op.SUB || op == Op.UNSUB || op == Op.CONNECT || op == Op.INFO;
    }

    private boolean extendsAnOp(char c) {
        for (String name : OP_NAMES) {
            if (name.length() > opLength && name.charAt(opLength) == c && startsWithOpChars(name)) {
                return true;
            }
        }
        return false;
    }

    private boolean startsWithOpChars(String name) {
        for (int k = 0; k < opLength; k++) {
            if (name.charAt(k) != opChars[k]) {
                return false;
            }
        }
        return true;
    }

    private Op fullOp() {
        for (int n = 0; n < OP_NAMES.length; n++) {
            String name = OP_NAMES[n];
            if (name.length() == opLength && startsWithOpChars(name)) {
                return OPS[n];
            }
        }
        return null;
    }

    private void finishNoArgOp() {
        opLength = 0;
        state = State.OP;
        switch (op) {
            case PING -> handler.onPing();
            case PONG -> handler.onPong();
            case ERR -> throw ProtocolViolation.silent("client sent -ERR");
            default -> {
                // +OK from a client carries no meaning.
            }
        }
    }

    private int parseArg(byte[] buf, int i, int end) {
        int start = i;
        while (i < end && buf[i] != '\n') {
            i++;
        }
        int n = i - start;
        if (lineLength + n > line.length) {
            int needed = Math.min(Math.max(line.length * 2, lineLength + n), maxControlLine + 2);
            if (lineLength + n > needed) {
                throw ProtocolViolation.withError(ProtocolViolation.MAX_CONTROL_LINE);
            }
            byte[] grown = new byte[needed];
            System.arraycopy(line, 0, grown, 0, lineLength);
            line = grown;
        }
        System.arraycopy(buf, start, line, lineLength, n);
        lineLength += n;
        int argLength = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
        if (argLength > maxControlLine) {
            throw ProtocolViolation.withError(ProtocolViolation.MAX_CONTROL_LINE);
        }
        if (i == end) {
            return i;
        }
        lineLength = argLength;
        state = State.OP;
        opLength = 0;
        dispatchArgs();
        i++;
        if (state == State.PAYLOAD) {
            return startPayload(buf, i, end);
        }
        return i;
    }

    // Argument splitting reuses these to avoid allocating per line.
    private final int[] fieldStart = new int[6];
    private final int[] fieldEnd = new int[6];

    private int split() {
        int count = 0;
        int k = 0;
        while (k < lineLength) {
            while (k < lineLength && (line[k] == ' ' || line[k] == '\t')) {
                k++;
            }
            if (k == lineLength) {
                break;
            }
            if (count == fieldStart.length) {
                return count + 1;
            }
            fieldStart[count] = k;
            while (k < lineLength && line[k] != ' ' && line[k] != '\t') {
                k++;
            }
            fieldEnd[count++] = k;
        }
        return count;
    }

    private String field(int f) {
        return new String(line, fieldStart[f], fieldEnd[f] - fieldStart[f], StandardCharsets.UTF_8);
    }

    private long number(int f) {
        int s = fieldStart[f];
        int e = fieldEnd[f];
        if (e - s > 18) {
            return -1;
        }
        long v = 0;
        for (int k = s; k < e; k++) {
            int d = line[k] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    private void dispatchArgs() {
        switch (op) {
            case PUB -> preparePub(false);
            case HPUB -> preparePub(true);
            case SUB -> {
                int n = split();
                if (n == 2) {
                    handler.onSub(field(0), null, field(1));
                } else if (n == 3) {
                    handler.onSub(field(0), field(1), field(2));
                } else {
                    throw ProtocolViolation.silent("processSub parse error");
                }
            }
            case UNSUB -> {
                int n = split();
                if (n == 1) {
                    handler.onUnsub(field(0), -1);
                } else if (n == 2) {
                    long max = number(1);
                    if (max < 0) {
                        throw ProtocolViolation.silent("processUnsub parse error");
                    }
                    handler.onUnsub(field(0), max);
                } else {
                    throw ProtocolViolation.silent("processUnsub parse error");
                }
            }
            case CONNECT -> handler.onConnect(new String(line, 0, lineLength, StandardCharsets.UTF_8));
            default -> {
                // INFO from a client is ignored, as nats-server does for client connections.
            }
        }
    }

    private void preparePub(boolean headers) {
        if (headers && !handler.headersEnabled()) {
            throw ProtocolViolation.silent("HPUB without headers support");
        }
        int n = split();
        int sizes = headers ? 2 : 1;
        if (n != 1 + sizes && n != 2 + sizes) {
            throw ProtocolViolation.silent("processPub parse error");
        }
        Message m = message;
        m.args = line;
        m.subjectOffset = fieldStart[0];
        m.subjectLength = fieldEnd[0] - fieldStart[0];
        if (n == 2 + sizes) {
            m.replyOffset = fieldStart[1];
            m.replyLength = fieldEnd[1] - fieldStart[1];
        } else {
            m.replyOffset = 0;
            m.replyLength = 0;
        }
        long total = number(n - 1);
        long header = headers ? number(n - 2) : -1;
        if (total < 0 || (headers && (header < 0 || header > total))) {
            throw ProtocolViolation.silent("processPub bad size");
        }
        if (total > handler.maxPayload()) {
            throw ProtocolViolation.withError(ProtocolViolation.MAX_PAYLOAD);
        }
        m.totalLength = (int) total;
        m.headerLength = (int) header;
        state = State.PAYLOAD;
        payloadFilled = 0;
    }

    private int startPayload(byte[] buf, int i, int end) {
        int total = message.totalLength;
        if (end - i >= total + 2) {
            if (buf[i + total] != '\r' || buf[i + total + 1] != '\n') {
                throw ProtocolViolation.withError(ProtocolViolation.UNKNOWN_OPERATION);
            }
            message.payload = buf;
            message.payloadOffset = i;
            state = State.OP;
            handler.onPub(message);
            return i + total + 2;
        }
        if (payloadBuffer.length < total) {
            payloadBuffer = new byte[Math.max(total, Math.min(payloadBuffer.length * 2, handler.maxPayload()))];
        }
        return i;
    }

    private int parsePayload(byte[] buf, int i, int end) {
        int take = Math.min(end - i, message.totalLength - payloadFilled);
        System.arraycopy(buf, i, payloadBuffer, payloadFilled, take);
        payloadFilled += take;
        if (payloadFilled == message.totalLength) {
            state = State.PAYLOAD_CR;
        }
        return i + take;
    }
}
