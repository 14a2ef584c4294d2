package io.pocketbus.broker;

/**
 * What a {@code $JS.API} request produced: nothing to route (no responder, as nats-server has no
 * subscription for it), handled with nothing more to send, or a message for the reply subject.
 *
 * @param handled false when nobody answers the subject (the requester sees no responders)
 * @param headers raw header block, empty for none
 * @param payload the body, a JSON response for most endpoints
 */
record JsApiReply(boolean handled, byte[] headers, byte[] payload) {
    static final JsApiReply NO_RESPONDER = new JsApiReply(false, new byte[0], new byte[0]);
    static final JsApiReply HANDLED = new JsApiReply(true, new byte[0], new byte[0]);

    static JsApiReply json(byte[] body) {
        return new JsApiReply(true, new byte[0], body);
    }

    static JsApiReply message(byte[] headers, byte[] payload) {
        return new JsApiReply(true, headers, payload);
    }

    /** Whether there is a message to send back. */
    boolean hasMessage() {
        return handled && (headers.length > 0 || payload.length > 0);
    }
}
