package io.pocketbus.broker;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The system account's client events, {@code $SYS.ACCOUNT.<account>.CONNECT} and {@code .DISCONNECT}, with
 * nats-server's advisory JSON shape. Nothing is rendered unless the system account has a subscriber.
 */
final class SystemEvents {
    private static final byte[] NO_REPLY = new byte[0];
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private final Broker broker;
    private final String systemAccount;
    private final AtomicLong sequence = new AtomicLong();
    private final SecureRandom random = new SecureRandom();

    SystemEvents(Broker broker, String systemAccount) {
        this.broker = broker;
        this.systemAccount = systemAccount;
    }

    void connected(ConnectionInfo c) {
        publish(c, "CONNECT", "io.nats.server.advisory.v1.client_connect", null);
    }

    void disconnected(ConnectionInfo c, String reason) {
        publish(c, "DISCONNECT", "io.nats.server.advisory.v1.client_disconnect", reason);
    }

    private void publish(ConnectionInfo c, String kind, String type, String reason) {
        Account sys = broker.existingAccount(systemAccount);
        if (sys == null) {
            return;
        }
        String subject = "$SYS.ACCOUNT." + c.account() + "." + kind;
        SublistResult result = sys.sublist.match(subject);
        if (result.isEmpty()) {
            return;
        }
        byte[] payload = render(c, type, reason).getBytes(StandardCharsets.UTF_8);
        ProtocolParser.Message m = ProtocolParser.Message.of(subject.getBytes(StandardCharsets.UTF_8), NO_REPLY, -1,
                payload, 0, payload.length);
        MessageRouter router = new MessageRouter(null);
        router.route(m, subject, result, 0);
        router.flush();
    }

    private String render(ConnectionInfo c, String type, String reason) {
        Instant now = Instant.now();
        StringBuilder sb = new StringBuilder(512);
        sb.append("{\"type\":\"").append(type).append("\",\"id\":\"").append(eventId()).append("\",\"timestamp\":\"")
                .append(now).append("\",\"server\":{\"name\":");
        Json.quote(sb, broker.serverName()).append(",\"host\":");
        Json.quote(sb, broker.host()).append(",\"id\":\"").append(broker.serverId()).append("\",\"ver\":\"")
                .append(Broker.SERVER_VERSION).append("\",\"seq\":").append(sequence.incrementAndGet())
                .append(",\"time\":\"").append(now).append("\"},\"client\":{\"start\":\"").append(c.start())
                .append('"');
        if (reason != null) {
            sb.append(",\"stop\":\"").append(now).append('"');
        }
        sb.append(",\"host\":");
        Json.quote(sb, c.ip()).append(",\"id\":").append(c.cid()).append(",\"acc\":");
        Json.quote(sb, c.account()).append(",\"user\":");
        Json.quote(sb, c.authorizedUser()).append(",\"name\":");
        Json.quote(sb, c.name()).append(",\"lang\":");
        Json.quote(sb, c.lang()).append(",\"ver\":");
        Json.quote(sb, c.version()).append(",\"server\":");
        Json.quote(sb, broker.serverName()).append(",\"kind\":\"Client\",\"client_type\":\"nats\"}");
        if (reason != null) {
            sb.append(",\"sent\":{\"msgs\":").append(c.outMsgs()).append(",\"bytes\":").append(c.outBytes())
                    .append("},\"received\":{\"msgs\":").append(c.inMsgs()).append(",\"bytes\":").append(c.inBytes())
                    .append("},\"reason\":");
            Json.quote(sb, reason);
        }
        return sb.append('}').toString();
    }

    private String eventId() {
        StringBuilder sb = new StringBuilder(22);
        for (int i = 0; i < 22; i++) {
            sb.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}
