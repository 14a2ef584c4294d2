package io.pocketbus.broker;

/** A server-side subscriber that moves a message into another account (stream and service imports). */
interface Forwarder {
    /** Routes the message onward and returns how many subscriptions took it there. */
    int forward(MessageRouter router, ProtocolParser.Message message, String subject, int hops);
}
