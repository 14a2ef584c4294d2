package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtocolParserTest {

    /** Records every callback as text. */
    static final class Recorder implements ProtocolParser.Handler {
        final List<String> events = new ArrayList<>();
        boolean headers = true;
        boolean awaitingConnect;
        int maxPayload = 1024;

        @Override
        public boolean awaitingConnect() {
            return awaitingConnect;
        }

        @Override
        public boolean headersEnabled() {
            return headers;
        }

        @Override
        public int maxPayload() {
            return maxPayload;
        }

        @Override
        public void onConnect(String json) {
            events.add("CONNECT " + json);
            awaitingConnect = false;
        }

        @Override
        public void onPub(ProtocolParser.Message m) {
            String subject = new String(m.args, m.subjectOffset, m.subjectLength, StandardCharsets.UTF_8);
            String reply = new String(m.args, m.replyOffset, m.replyLength, StandardCharsets.UTF_8);
            String payload = new String(m.payload, m.payloadOffset, m.totalLength, StandardCharsets.UTF_8);
            events.add((m.hasHeaders() ? "HPUB " + m.headerLength + " " : "PUB ") + subject + " [" + reply + "] "
                    + payload);
        }

        @Override
        public void onSub(String subject, String queue, String sid) {
            events.add("SUB " + subject + " " + queue + " " + sid);
        }

        @Override
        public void onUnsub(String sid, long max) {
            events.add("UNSUB " + sid + " " + max);
        }

        @Override
        public void onPing() {
            events.add("PING");
        }

        @Override
        public void onPong() {
            events.add("PONG");
        }
    }

    private static final String STREAM = "CONNECT {\"verbose\":false}\r\nsub foo.* q 1\r\nSUB bar 2\r\n"
            + "PUB foo.a 5\r\nhello\r\npub foo.b reply.x 0\r\n\r\nHPUB h 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
            + "UNSUB 1 3\r\nunsub 2\r\nPING\r\nPONG\r\n+OK\r\nINFO {}\r\n";

    private static final List<String> EXPECTED = List.of("CONNECT {\"verbose\":false}", "SUB foo.* q 1",
            "SUB bar null 2", "PUB foo.a [] hello", "PUB foo.b [reply.x] ", "HPUB 12 h [] NATS/1.0\r\n\r\nhi",
            "UNSUB 1 3", "UNSUB 2 -1", "PING", "PONG");

    @Test
    void parsesAWholeStream() {
        Recorder r = new Recorder();
        new ProtocolParser(r, 4096).parse(bytes(STREAM), 0, STREAM.length());
        assertThat(r.events).isEqualTo(EXPECTED);
    }

    @Test
    void publishOperationsInAnyCaseAndWithTabs() {
        String stream = "pub a 1\r\nx\r\nPuB\tb 1\r\ny\r\nhpub c 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
                + "HPub\td 12 12\r\nNATS/1.0\r\n\r\n\r\n";
        List<String> expected = List.of("PUB a [] x", "PUB b [] y", "HPUB 12 c [] NATS/1.0\r\n\r\nhi",
                "HPUB 12 d [] NATS/1.0\r\n\r\n");
        Recorder whole = new Recorder();
        new ProtocolParser(whole, 4096).parse(bytes(stream), 0, stream.length());
        assertThat(whole.events).isEqualTo(expected);
        Recorder split = new Recorder();
        ProtocolParser p = new ProtocolParser(split, 4096);
        byte[] all = bytes(stream);
        for (int i = 0; i < all.length; i++) {
            p.parse(all, i, 1);
        }
        assertThat(split.events).isEqualTo(expected);
    }

    @Test
    void everySplitPointGivesTheSameEvents() {
        byte[] all = bytes(STREAM);
        for (int split = 1; split < all.length; split++) {
            Recorder r = new Recorder();
            ProtocolParser p = new ProtocolParser(r, 4096);
            p.parse(all, 0, split);
            p.parse(all, split, all.length - split);
            assertThat(r.events).as("split at %d", split).isEqualTo(EXPECTED);
        }
    }

    @Test
    void byteAtATime() {
        byte[] all = bytes(STREAM);
        Recorder r = new Recorder();
        ProtocolParser p = new ProtocolParser(r, 4096);
        for (int i = 0; i < all.length; i++) {
            p.parse(all, i, 1);
        }
        assertThat(r.events).isEqualTo(EXPECTED);
    }

    @Test
    void unknownOperationIsDetectedBeforeTheLineEnds() {
        assertError("PUX", "Unknown Protocol Operation");
        assertError("SUBX foo 1\r\n", "Unknown Protocol Operation");
        assertError("\r\n", "Unknown Protocol Operation");
        assertError(" PING\r\n", "Unknown Protocol Operation");
    }

    @Test
    void controlLineLimitAppliesWhileStreaming() {
        assertError("PUB " + "x".repeat(200), "maximum control line exceeded", 100);
    }

    @Test
    void payloadLimitUsesTheDeclaredSize() {
        assertError("PUB foo 1025\r\n", "Maximum Payload Violation");
        assertError("HPUB foo 10 1025\r\n", "Maximum Payload Violation");
    }

    @Test
    void firstOperationMustBeConnectWhenAuthIsRequired() {
        Recorder r = new Recorder();
        r.awaitingConnect = true;
        ProtocolParser p = new ProtocolParser(r, 4096);
        assertThatThrownBy(() -> p.parse(bytes("PING\r\n"), 0, 6))
                .isInstanceOfSatisfying(ProtocolViolation.class,
                        v -> assertThat(v.clientError()).contains("Authorization Violation"));
        Recorder ok = new Recorder();
        ok.awaitingConnect = true;
        new ProtocolParser(ok, 4096).parse(bytes("connect {}\r\nPING\r\n"), 0, 18);
        assertThat(ok.events).containsExactly("CONNECT {}", "PING");
    }

    @Test
    void silentClosesCarryNoClientError() {
        for (String bad : new String[] {"PUB a b c 1\r\n", "SUB a\r\n", "PUB a x\r\n", "UNSUB 1 y\r\n",
                "HPUB a 5 4\r\n", "-ERR 'boom'\r\n"}) {
            Recorder r = new Recorder();
            ProtocolParser p = new ProtocolParser(r, 4096);
            byte[] b = bytes(bad);
            assertThatThrownBy(() -> p.parse(b, 0, b.length)).as(bad)
                    .isInstanceOfSatisfying(ProtocolViolation.class, v -> assertThat(v.clientError()).isEmpty());
        }
    }

    @Test
    void hpubWithoutHeadersIsRefused() {
        Recorder r = new Recorder();
        r.headers = false;
        ProtocolParser p = new ProtocolParser(r, 4096);
        byte[] b = bytes("HPUB a 12 12\r\nNATS/1.0\r\n\r\n\r\n");
        assertThatThrownBy(() -> p.parse(b, 0, b.length)).isInstanceOf(ProtocolViolation.class);
    }

    private static void assertError(String input, String error) {
        assertError(input, error, 4096);
    }

    private static void assertError(String input, String error, int maxControlLine) {
        Recorder r = new Recorder();
        ProtocolParser p = new ProtocolParser(r, maxControlLine);
        byte[] b = bytes(input);
        assertThatThrownBy(() -> p.parse(b, 0, b.length)).as(input)
                .isInstanceOfSatisfying(ProtocolViolation.class, v -> assertThat(v.clientError()).contains(error));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
