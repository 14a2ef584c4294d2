package io.pocketbus.bench;

/**
 * Counts MSG/HMSG frames in a byte stream from a NATS server without decoding payloads, and notes
 * PING, PONG and -ERR control lines. Frames may be split anywhere across reads.
 */
final class MsgCounter {
    private final StringBuilder line = new StringBuilder(128);
    private long skip;
    private long messages;
    private long pongs;
    private int pings;
    private String error;

    void feed(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (skip > 0) {
                long n = Math.min(skip, end - i);
                skip -= n;
                i += (int) n;
                continue;
            }
            byte b = bytes[i++];
            if (b == '\n') {
                onLine();
                line.setLength(0);
            } else if (b != '\r') {
                line.append((char) b);
            }
        }
    }

    private void onLine() {
        if (line.length() >= 4 && (startsWith("MSG ") || startsWith("HMSG "))) {
            int lastSpace = line.lastIndexOf(" ");
            skip = Long.parseLong(line.substring(lastSpace + 1)) + 2;
            messages++;
        } else if (startsWith("PONG")) {
            pongs++;
        } else if (startsWith("PING")) {
            pings++;
        } else if (startsWith("-ERR")) {
            error = line.toString();
        }
    }

    private boolean startsWith(String prefix) {
        if (line.length() < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (line.charAt(i) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    long messages() {
        return messages;
    }

    long pongs() {
        return pongs;
    }

    int takePings() {
        int n = pings;
        pings = 0;
        return n;
    }

    String error() {
        return error;
    }
}
