package io.pocketbus.broker;

import java.nio.charset.StandardCharsets;

/**
 * Where the JetStream engines send messages: the broker's internal publish into the account, or a test's
 * recorder. Headers are a raw header block, empty for none; reply is empty for none.
 */
interface JsOutput {
    /**
     * Delivers to the subscribers of {@code to}, with {@code subject} on the MSG line (a consumer delivers
     * a stored message on its own subject to the deliver or inbox subject).
     */
    void send(String to, String subject, String reply, byte[] headers, byte[] payload);

    default void publish(String subject, String reply, byte[] headers, byte[] payload) {
        send(subject, subject, reply, headers, payload);
    }

    /**
     * Answers a request on {@code to} within the read batch that carried the request ({@code batch}, the
     * router the request arrived with): the answer leaves with that batch, written inline when the batch is
     * small, instead of waking the requester's writer once per answer. Echo rules do not apply.
     */
    default void reply(MessageRouter batch, String to, byte[] headers, byte[] payload) {
        publish(to, "", headers, payload);
    }

    /**
     * A batch of replies sent from a thread that reads no connection (the group commit's, releasing
     * PubAcks): its flush writes to receivers whose writers are idle itself rather than waking them.
     */
    default Batch replies() {
        return batch();
    }

    /**
     * A batch of sends whose receivers are woken once, at {@link Batch#flush()}, rather than once per
     * message: a pull request's messages then go out in one write. Used by one thread at a time.
     */
    default Batch batch() {
        return new Batch() {
            @Override
            public void send(String to, String subject, String reply, byte[] headers, byte[] payload) {
                JsOutput.this.send(to, subject, reply, headers, payload);
            }

            @Override
            public void flush() {
                // Each send above was delivered on its own.
            }
        };
    }

    /** Whether any subscription in the account would receive a message on this subject. */
    boolean hasInterest(String subject);

    /**
     * Runs {@code onChange} after every subscription change in the account, until the returned handle is
     * run; {@code onChange} must be quick and take no locks (it may run under the account's sublist lock).
     */
    Runnable watchInterest(Runnable onChange);

    /** Sends collected until {@link #flush()}; the batch can be reused after a flush. */
    interface Batch {
        void send(String to, String subject, String reply, byte[] headers, byte[] payload);

        default void publish(String subject, String reply, byte[] headers, byte[] payload) {
            send(subject, subject, reply, headers, payload);
        }

        /**
         * A consumer's delivery, as {@link #send}, its reply (the ack subject) given as the UTF-8 bytes
         * {@code reply[0, replyLength)}, which the caller may reuse once this returns: one is built for every
         * message delivered.
         */
        default void deliver(String to, String subject, byte[] reply, int replyLength, byte[] headers, byte[] payload) {
            send(to, subject, new String(reply, 0, replyLength, StandardCharsets.UTF_8), headers, payload);
        }

        /** Wakes every receiver the sends since the last flush appended to. */
        void flush();
    }
}
