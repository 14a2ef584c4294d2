package io.pocketbus.broker;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Push flow control as nats-server does it: after a threshold of delivered bytes the consumer sends a
 * {@code 100 FlowControl Request} with a {@code $JS.FC.<stream>.<consumer>.<id>} reply and, once twice the
 * threshold is outstanding, stalls until the client answers on that subject. Each answer doubles the
 * threshold up to a maximum. Guarded by the consumer's lock.
 */
final class JsFlowControl {
    private static final long START = 2L * 1024 * 1024;
    private static final long MAX = 32L * 1024 * 1024;
    private static final String ALPHANUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final String prefix;
    private String reply = "";
    private long outstanding;
    private long atSend;
    private long threshold = START;

    JsFlowControl(String stream, String consumer) {
        this.prefix = "$JS.FC." + stream + "." + consumer + ".";
    }

    /** Whether delivery must wait for the client's answer. */
    boolean stalled() {
        return !reply.isEmpty() && outstanding >= 2 * threshold;
    }

    /** The flow-control subject awaiting an answer, empty when none (for the stalled heartbeat header). */
    String awaiting() {
        return reply;
    }

    /** Counts a delivery; returns the reply subject of a new flow-control request when one is due. */
    Optional<String> delivered(long bytes) {
        outstanding += bytes;
        if (!reply.isEmpty() || outstanding < threshold) {
            return Optional.empty();
        }
        StringBuilder id = new StringBuilder(4);
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 4; i++) {
            id.append(ALPHANUM.charAt(r.nextInt(ALPHANUM.length())));
        }
        reply = prefix + id;
        atSend = outstanding;
        return Optional.of(reply);
    }

    /** A message on {@code subject}; true when it answered the current request (delivery may resume). */
    boolean answered(String subject) {
        if (reply.isEmpty() || !subject.equals(reply)) {
            return false;
        }
        outstanding = Math.max(0, outstanding - atSend);
        reply = "";
        threshold = Math.min(MAX, threshold * 2);
        return true;
    }
}
