package io.pocketbus.broker;

import java.time.Instant;

/**
 * A snapshot of one client connection, named after nats-server's {@code /connz} fields.
 *
 * @param cid the client id sent in INFO
 * @param kind "tcp", "websocket" or "in-process"
 * @param ip remote address
 * @param port remote port
 * @param start when the connection was accepted
 * @param lastActivity when the client last sent anything
 * @param name client {@code name} from CONNECT, or ""
 * @param lang client {@code lang} from CONNECT, or ""
 * @param version client {@code version} from CONNECT, or ""
 * @param account the account it was granted, or "" before CONNECT
 * @param authorizedUser the grant's identity, or "" before CONNECT
 * @param subscriptions how many subscriptions it holds
 * @param pendingBytes outbound bytes not yet written
 * @param inMsgs messages received from the client
 * @param outMsgs messages delivered to the client
 * @param inBytes payload bytes received
 * @param outBytes payload bytes delivered
 */
public record ConnectionInfo(
        long cid,
        String kind,
        String ip,
        int port,
        Instant start,
        Instant lastActivity,
        String name,
        String lang,
        String version,
        String account,
        String authorizedUser,
        int subscriptions,
        int pendingBytes,
        long inMsgs,
        long outMsgs,
        long inBytes,
        long outBytes) {
}
