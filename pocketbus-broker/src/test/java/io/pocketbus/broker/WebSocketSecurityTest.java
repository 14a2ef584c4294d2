package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The WebSocket listener's TLS ({@code wss://} with jnats, from PEM files made at test time), permessage-deflate
 * as nats-server negotiates it, and the Origin checks with nats-server's 403, compared with nats-server 2.9.10.
 */
class WebSocketSecurityTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String KEY = Base64.getEncoder().encodeToString(
            "0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path dir;

    /** A self-signed certificate for 127.0.0.1 made with the JDK's keytool, written out as PEM files. */
    private record SelfSigned(Path cert, Path key, KeyStore trust) {
    }

    private SelfSigned selfSigned() throws Exception {
        Path keytool = Path.of(ProcessHandle.current().info().command().orElseThrow()).resolveSibling("keytool");
        Path store = dir.resolve("server.p12");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "secret", "-keypass", "secret")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, "secret".toCharArray());
        }
        Certificate cert = ks.getCertificate("server");
        PrivateKey key = (PrivateKey) ks.getKey("server", "secret".toCharArray());
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
        Files.writeString(keyFile, pem("PRIVATE KEY", key.getEncoded()));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server", cert);
        return new SelfSigned(certFile, keyFile, trust);
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @Test
    void jnatsConnectsOverWssWithTheConfiguredPemCertificate() throws Exception {
        SelfSigned tls = selfSigned();
        // The same key as OpenSSL's traditional "RSA PRIVATE KEY" (PKCS#1): the RSAPrivateKey inside PKCS#8.
        byte[] pkcs8 = Base64.getMimeDecoder().decode(Files.readString(tls.key())
                .replaceAll("-----[A-Z ]+-----", ""));
        Path pkcs1 = dir.resolve("key-pkcs1.pem");
        Files.writeString(pkcs1, pem("RSA PRIVATE KEY", Arrays.copyOfRange(pkcs8, 26, pkcs8.length)));
        assertThat(PemTls.serverContext(tls.cert(), pkcs1).getProtocol()).isEqualTo("TLS");
        assertThatThrownBy(() -> PemTls.serverContext(tls.cert(), tls.cert())).hasMessageContaining("no PKCS#8");
        Path config = dir.resolve("ws.conf");
        Files.writeString(config, "websocket { port: -1, tls { cert_file: \"" + tls.cert() + "\", key_file: \""
                + tls.key() + "\" } }\n");
        BrokerBuilder builder = Broker.builder();
        assertThat(builder.config(ConfigFile.load(config))).isEmpty();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(tls.trust());
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        // The first TLS handshakes of a JVM are slow on a loaded machine: generous timeouts, no timing claims.
        try (Broker broker = builder.port(0).authTimeout(Duration.ofSeconds(30)).build().start();
                Connection wss = Nats.connect(Options.builder()
                        .server("wss://127.0.0.1:" + broker.websocketPort().orElseThrow()).sslContext(client)
                        .connectionTimeout(Duration.ofSeconds(30)).maxReconnects(0).build());
                Connection tcp = Nats.connect("nats://127.0.0.1:" + broker.port())) {
            Subscription sub = wss.subscribe("secure.>");
            wss.flush(WAIT);
            tcp.publish("secure.hello", "over wss".getBytes(StandardCharsets.UTF_8));
            Message m = sub.nextMessage(WAIT);
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("over wss");
            assertThat(broker.connections()).anyMatch(c -> c.kind().equals("websocket"));
        }
    }

    // ---- Origin checks and compression at frame level, beside nats-server ----

    private static final String WS_CONFIG = "websocket { listen: \"127.0.0.1:%d\", no_tls: true, compression: true, "
            + "same_origin: true, allowed_origins: [\"http://good.example:8080\", \"https://app.example\"] }\n";

    /** The upgrade response without its Date header, and the socket to go on with when it was a 101. */
    private record Upgrade(String head, Socket socket) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static Upgrade upgrade(int port, String host, String extraHeaders) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        socket.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n"
                + extraHeaders + "\r\n").getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        String text = head.toString(StandardCharsets.US_ASCII);
        if (text.startsWith("HTTP/1.1 403")) {
            text += new String(in.readNBytes(10), StandardCharsets.US_ASCII);
        }
        return new Upgrade(text.replaceAll("Date: [^\r]*\r\n", ""), socket);
    }

    private static final List<String[]> ORIGIN_CASES = List.of(
            new String[] {"127.0.0.1", ""},
            new String[] {"127.0.0.1", "Origin: http://evil.example\r\n"},
            new String[] {"good.example:8080", "Origin: http://good.example:8080\r\n"},
            new String[] {"127.0.0.1", "Origin: http://good.example:8080\r\n"},
            new String[] {"app.example:443", "Origin: https://app.example\r\n"},
            new String[] {"app.example", "Origin: https://app.example\r\n"},
            new String[] {"good.example:8080", "Origin: https://good.example:8080\r\n"},
            new String[] {"good.example:8080", "Sec-WebSocket-Origin: http://evil.example\r\n"});

    private static List<String> originAnswers(int port) throws IOException {
        List<String> out = new ArrayList<>();
        for (String[] c : ORIGIN_CASES) {
            try (Upgrade u = upgrade(port, c[0], c[1])) {
                out.add(u.head());
            }
        }
        return out;
    }

    @Test
    void originChecksAndCompressionAnswerAsNatsServerDoes() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/nats-server")) || Files.isExecutable(Path.of("/usr/sbin/nats-server")),
                "nats-server is not installed");
        int natsWs = freePort();
        Path natsConfig = dir.resolve("nats.conf");
        Files.writeString(natsConfig, "listen: \"127.0.0.1:" + freePort() + "\"\n" + WS_CONFIG.formatted(natsWs));
        Process nats = new ProcessBuilder("nats-server", "-c", natsConfig.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        BrokerBuilder builder = Broker.builder();
        assertThat(builder.config(ConfigFile.parse(WS_CONFIG.formatted(0)))).isEmpty();
        try (Broker broker = builder.port(0).build().start()) {
            awaitListening(natsWs, nats);
            int ours = broker.websocketPort().orElseThrow();
            List<String> expected = originAnswers(natsWs);
            assertThat(expected.get(1)).startsWith("HTTP/1.1 403 Forbidden").endsWith("\r\n\r\nForbidden\n");
            assertThat(originAnswers(ours)).isEqualTo(expected);
            String exchange = compressedExchange(ours);
            assertThat(exchange).isEqualTo(compressedExchange(natsWs))
                    .contains("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                            + "client_no_context_takeover", "|C:INFO |", "MSG big 1 100\r\n" + "x".repeat(100))
                    .doesNotContain("wrongly");
        } finally {
            nats.destroy();
            nats.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Offers permessage-deflate, then sends CONNECT, SUB and a PUB as one compressed (masked) message and reads
     * the replies: the response head, then each frame as "C:" (compressed, shown inflated) or "P:" (plain).
     */
    private static String compressedExchange(int port) throws IOException {
        try (Upgrade u = upgrade(port, "127.0.0.1", "Sec-WebSocket-Extensions: permessage-deflate; "
                + "client_max_window_bits\r\n")) {
            StringBuilder seen = new StringBuilder(u.head().replaceAll("Sec-WebSocket-Accept: [^\r]*", "")).append('|');
            DataInputStream in = new DataInputStream(u.socket().getInputStream());
            OutputStream out = u.socket().getOutputStream();
            String info = readFrame(in);
            seen.append(info.substring(0, 7)).append('|');
            String payload = "x".repeat(100);
            sendCompressed(out, "CONNECT {\"verbose\":false}\r\nSUB big 1\r\nPUB big 100\r\n" + payload
                    + "\r\nPUB big 2\r\nhi\r\nPING\r\n");
            StringBuilder received = new StringBuilder();
            boolean compressedAsNatsServer = true;
            while (!received.toString().endsWith("PONG\r\n")) {
                String frame = readFrame(in);
                received.append(frame.substring(2));
                // How output is split into frames depends on timing; which frames are compressed must not.
                compressedAsNatsServer &= frame.startsWith("C:") == frame.length() - 2 >= 64;
            }
            seen.append(compressedAsNatsServer ? "frames compressed from 64 bytes" : "frames wrongly compressed");
            return seen.append('|').append(received).toString();
        }
    }

    private static void sendCompressed(OutputStream out, String text) throws IOException {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(text.getBytes(StandardCharsets.US_ASCII));
        byte[] buf = new byte[4096];
        int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        deflater.end();
        int len = n - 4;
        byte[] mask = {1, 2, 3, 4};
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | 0x40 | 2);
        if (len < 126) {
            frame.write(0x80 | len);
        } else {
            frame.write(0x80 | 126);
            frame.write(len >> 8);
            frame.write(len);
        }
        frame.write(mask);
        for (int i = 0; i < len; i++) {
            frame.write(buf[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** One server frame: "C:" and the inflated text when RSV1 is set, else "P:" and the text. */
    private static String readFrame(DataInputStream in) throws IOException {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
            len = in.readUnsignedShort();
        } else if (len == 127) {
            len = in.readLong();
        }
        byte[] data = in.readNBytes((int) len);
        if ((b0 & 0x40) == 0) {
            return "P:" + new String(data, StandardCharsets.UTF_8);
        }
        Inflater inflater = new Inflater(true);
        byte[] withTail = new byte[data.length + 4];
        System.arraycopy(data, 0, withTail, 0, data.length);
        withTail[data.length + 2] = (byte) 0xff;
        withTail[data.length + 3] = (byte) 0xff;
        inflater.setInput(withTail);
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            while (!inflater.needsInput()) {
                int n = inflater.inflate(chunk);
                plain.write(chunk, 0, n);
                if (n == 0) {
                    break;
                }
            }
        } catch (DataFormatException e) {
            throw new IOException(e);
        } finally {
            inflater.end();
        }
        return "C:" + plain.toString(StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static void awaitListening(int port, Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertThat(p.isAlive()).as("nats-server exited").isTrue();
                assertThat(System.nanoTime()).as("nats-server did not start").isLessThan(deadline);
                Thread.sleep(20);
            }
        }
    }
}
