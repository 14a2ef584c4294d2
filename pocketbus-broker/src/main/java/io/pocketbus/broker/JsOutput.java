package io.pocketbus.broker;

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

    /** Whether any subscription in the account would receive a message on this subject. */
    boolean hasInterest(String subject);

    /**
     * Runs {@code onChange} after every subscription change in the account, until the returned handle is
     * run; {@code onChange} must be quick and take no locks (it may run under the account's sublist lock).
     */
    Runnable watchInterest(Runnable onChange);
}
