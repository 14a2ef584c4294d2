package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NATS over WebSocket: jnats' ws:// transport, plus frame-level checks of masking, pings and the upgrade. */
class WebSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String KEY = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    private static Broker broker;

    @BeforeAll
    static void start() {
        broker = Broker.builder().port(0).websocketPort(0).build().start();
    }

    @AfterAll
    static void stop() {
        broker.shutdown();
    }

    @Test
    void jnatsOverWebSocketTalksToTcpClients() throws Exception {
        int wsPort = broker.websocketPort().orElseThrow();
        try (Connection ws = Nats.connect("ws://127.0.0.1:" + wsPort);
                Connection tcp = Nats.connect("nats://127.0.0.1:" + broker.port())) {
            Subscription fromTcp = ws.subscribe("ws.in");
            ws.flush(WAIT);
            tcp.publish("ws.in", "over tcp".getBytes(StandardCharsets.UTF_8));
            Message m = fromTcp.nextMessage(WAIT);
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("over tcp");

            Subscription fromWs = tcp.subscribe("ws.out");
            tcp.flush(WAIT);
            byte[] big = new byte[200_000];
            ws.publish("ws.out", big);
            assertThat(fromWs.nextMessage(WAIT).getData()).hasSize(big.length);
            assertThat(broker.connections()).anyMatch(c -> c.kind().equals("websocket"));
        }
    }

    /** A minimal frame-level WebSocket client. */
    private static final class Frames implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        final boolean masked;

        Frames(boolean noMasking) throws IOException {
            socket = new Socket("127.0.0.1", broker.websocketPort().orElseThrow());
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            masked = !noMasking;
            out.write(("GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                    + (noMasking ? "Nats-No-Masking: true\r\n" : "") + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }

        String responseHead() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
                head.write(in.readUnsignedByte());
            }
            return head.toString(StandardCharsets.US_ASCII);
        }

        void send(int opcode, byte[] payload) throws IOException {
            ByteArrayOutputStream f = new ByteArrayOutputStream();
            f.write(0x80 | opcode);
            int maskBit = masked ? 0x80 : 0;
            if (payload.length < 126) {
                f.write(maskBit | payload.length);
            } else {
                f.write(maskBit | 126);
                f.write(payload.length >> 8);
                f.write(payload.length & 0xff);
            }
            byte[] key = {1, 2, 3, 4};
            if (masked) {
                f.write(key);
            }
            for (int i = 0; i < payload.length; i++) {
                f.write(masked ? payload[i] ^ key[i & 3] : payload[i]);
            }
            out.write(f.toByteArray());
        }

        void sendText(String protocol) throws IOException {
            send(2, protocol.getBytes(StandardCharsets.UTF_8));
        }

        /** Reads one frame: returns opcode and payload as "op:payload". */
        String frame() throws IOException {
            int b0 = in.readUnsignedByte();
            int len = in.readUnsignedByte() & 0x7f;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = (int) in.readLong();
            }
            byte[] p = in.readNBytes(len);
            return (b0 & 0x0f) + ":" + new String(p, StandardCharsets.ISO_8859_1);
        }

        /** Concatenated binary-frame payloads until the marker appears. */
        String readUntil(String marker) throws IOException {
            StringBuilder sb = new StringBuilder();
            while (sb.indexOf(marker) < 0) {
                String f = frame();
                assertThat(f).startsWith("2:");
                sb.append(f.substring(2));
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void upgradeAnswerAndProtocolSplitAcrossFrames() throws IOException {
        try (Frames ws = new Frames(false)) {
            String head = ws.responseHead();
            assertThat(head).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                    .contains("Sec-WebSocket-Accept: " + WebSocketTransport.acceptKey(KEY))
                    .doesNotContain("Nats-No-Masking");
            assertThat(ws.readUntil("\r\n")).startsWith("INFO {");
            ws.sendText("CONNECT {\"verbose\":false}\r\nSU");
            ws.sendText("B a 1\r\nPUB a 2\r\nh");
            ws.sendText("i\r\nPING\r\n");
            assertThat(ws.readUntil("PONG\r\n")).isEqualTo("MSG a 1 2\r\nhi\r\nPONG\r\n");
        }
    }

    @Test
    void pingFramesAreAnsweredAndCloseIsEchoed() throws IOException {
        try (Frames ws = new Frames(false)) {
            ws.responseHead();
            ws.readUntil("\r\n");
            ws.send(9, "hb".getBytes(StandardCharsets.US_ASCII));
            assertThat(ws.frame()).isEqualTo("10:hb");
            ws.send(8, new byte[] {0x03, (byte) 0xe8});
            assertThat(ws.frame()).startsWith("8:");
        }
    }

    @Test
    void noMaskingIsNegotiated() throws IOException {
        try (Frames ws = new Frames(true)) {
            assertThat(ws.responseHead()).contains("Nats-No-Masking: true\r\n");
            ws.readUntil("\r\n");
            ws.sendText("CONNECT {\"verbose\":false}\r\nPING\r\n");
            assertThat(ws.readUntil("PONG\r\n")).isEqualTo("PONG\r\n");
        }
    }

    @Test
    void unmaskedFramesWithoutNegotiationAreAProtocolError() throws IOException {
        try (Frames ws = new Frames(false)) {
            ws.responseHead();
            ws.readUntil("\r\n");
            byte[] raw = "PING\r\n".getBytes(StandardCharsets.US_ASCII);
            ws.out.write(new byte[] {(byte) 0x82, (byte) raw.length});
            ws.out.write(raw);
            assertThat(ws.frame()).isEqualTo("8:" + new String(new byte[] {0x03, (byte) 0xea}, StandardCharsets.ISO_8859_1));
        }
    }

    @Test
    void badUpgradeGets400() throws IOException {
        try (Socket s = new Socket("127.0.0.1", broker.websocketPort().orElseThrow())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 400 Bad Request");
        }
    }
}
