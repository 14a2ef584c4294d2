package io.pocketbus.broker;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * NATS over WebSocket (RFC 6455) on a plain socket: the upgrade handshake, then the protocol byte stream
 * carried in binary frames in both directions. Frames need not line up with protocol lines. Client frames
 * must be masked unless the client asked for {@code Nats-No-Masking: true}; pings are answered, a close
 * frame is echoed and ends the stream.
 */
final class WebSocketTransport implements Transport {
    private static final String ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_HANDSHAKE = 8192;
    private static final int OP_CONTINUATION = 0;
    private static final int OP_TEXT = 1;
    private static final int OP_BINARY = 2;
    private static final int OP_CLOSE = 8;
    private static final int OP_PING = 9;
    private static final int OP_PONG = 10;
    private static final int INITIAL_FRAME = 1024;
    private static final int MAX_KEPT_FRAME = 256 * 1024;
    /** nats-server compresses only messages at least this long. */
    private static final int COMPRESS_THRESHOLD = 64;
    /** A compressed message, before or after inflating, may not be larger than a client's max_pending. */
    private static final int MAX_MESSAGE = 64 * 1024 * 1024;
    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final String host;
    private final int port;
    private final boolean noMasking;
    /** permessage-deflate was negotiated: RSV1 marks compressed messages both ways. */
    private final boolean compress;
    /** The frames of the compressed message being received, until its last one. */
    private ByteArrayOutputStream compressedMessage;
    /** A received compressed message, inflated, and how much of it read() has handed out. */
    private byte[] inflated = new byte[0];
    private int inflatedPos;
    private Inflater inflater;
    private Deflater deflater;
    private byte[] deflated;
    private long frameRemaining;
    private boolean frameMasked;
    private final byte[] mask = new byte[4];
    private int maskIndex;
    private boolean closeSent;
    /** Reused output frame buffer, guarded by writeLock. */
    private byte[] frame = new byte[INITIAL_FRAME];

    private WebSocketTransport(Socket socket, InputStream in, String host, int port, boolean noMasking,
            boolean compress) throws IOException {
        this.socket = socket;
        this.in = in;
        this.out = socket.getOutputStream();
        this.host = host;
        this.port = port;
        this.noMasking = noMasking;
        this.compress = compress;
    }

    /**
     * Performs the server side of the upgrade; on a bad request answers 400, on a refused Origin 403, and
     * throws.
     *
     * @param tls whether the socket is a TLS socket (for the default port of the same-origin check)
     */
    static WebSocketTransport accept(Socket socket, WebSocketOptions options, WebSocketOrigins origins, boolean tls)
            throws IOException {
        socket.setTcpNoDelay(true);
        InputStream in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        Map<String, String> headers = new HashMap<>();
        String requestLine = readHead(in, headers);
        String key = headers.get("sec-websocket-key");
        boolean ok = requestLine.startsWith("GET ") && requestLine.endsWith(" HTTP/1.1")
                && headers.getOrDefault("upgrade", "").toLowerCase(Locale.ROOT).contains("websocket")
                && headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT).contains("upgrade")
                && "13".equals(headers.get("sec-websocket-version"))
                && key != null && decodedLength(key) == 16;
        OutputStream out = socket.getOutputStream();
        if (!ok) {
            out.write(("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n"
                    + "Content-Length: 27\r\n\r\ninvalid websocket upgrade\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            throw new IOException("invalid WebSocket upgrade: " + requestLine);
        }
        Optional<String> origin = Optional.ofNullable(headers.get("origin"))
                .or(() -> Optional.ofNullable(headers.get("sec-websocket-origin")));
        if (!origins.allows(origin, Optional.ofNullable(headers.get("host")), tls)) {
            out.write(("HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\n"
                    + "Sec-Websocket-Version: 13\r\nX-Content-Type-Options: nosniff\r\nDate: "
                    + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC))
                    + "\r\nContent-Length: 10\r\n\r\nForbidden\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            throw new IOException("WebSocket upgrade refused: origin not allowed: " + origin.orElse(""));
        }
        boolean compress = options.compression() && headers.getOrDefault("sec-websocket-extensions", "")
                .toLowerCase(Locale.ROOT).contains("permessage-deflate");
        boolean noMasking = "true".equalsIgnoreCase(headers.get("nats-no-masking"));
        StringBuilder response = new StringBuilder("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Accept: ").append(acceptKey(key)).append("\r\n");
        if (compress) {
            response.append("Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; "
                    + "client_no_context_takeover\r\n");
        }
        if (noMasking) {
            response.append("Nats-No-Masking: true\r\n");
        }
        out.write(response.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        String forwarded = headers.get("x-forwarded-for");
        String host = forwarded != null && !forwarded.isBlank() ? forwarded.split(",")[0].strip()
                : remote.getAddress().getHostAddress();
        return new WebSocketTransport(socket, in, host, remote.getPort(), noMasking, compress);
    }

    private static int decodedLength(String key) {
        try {
            return Base64.getDecoder().decode(key.strip()).length;
        } catch (IllegalArgumentException e) {
            return -1;
        }
    }

    static String acceptKey(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] digest = sha1.digest((key.strip() + ACCEPT_GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is a required JDK algorithm", e);
        }
    }

    /** Reads the request line and headers (names lower-cased) up to the blank line. */
    private static String readHead(InputStream in, Map<String, String> headers) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        String requestLine = null;
        int total = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during WebSocket handshake");
            }
            if (++total > MAX_HANDSHAKE) {
                throw new IOException("WebSocket handshake too large");
            }
            if (b != '\n') {
                line.write(b);
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1);
            line.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (requestLine == null) {
                requestLine = text;
            } else if (text.isEmpty()) {
                return requestLine;
            } else {
                int colon = text.indexOf(':');
                if (colon > 0) {
                    headers.put(text.substring(0, colon).strip().toLowerCase(Locale.ROOT), text.substring(colon + 1).strip());
                }
            }
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (frameRemaining == 0) {
            if (inflatedPos < inflated.length) {
                int n = Math.min(len, inflated.length - inflatedPos);
                System.arraycopy(inflated, inflatedPos, b, off, n);
                inflatedPos += n;
                return n;
            }
            if (!nextDataFrame()) {
                return -1;
            }
        }
        int n = in.read(b, off, (int) Math.min(len, frameRemaining));
        if (n < 0) {
            return -1;
        }
        if (frameMasked) {
            for (int i = off; i < off + n; i++) {
                b[i] ^= mask[maskIndex++ & 3];
            }
        }
        frameRemaining -= n;
        return n;
    }

    /** Reads frame headers, handling control frames, until a data frame starts; false at close. */
    private boolean nextDataFrame() throws IOException {
        int b0 = readByte();
        int b1 = readByte();
        int opcode = b0 & 0x0f;
        boolean masked = (b1 & 0x80) != 0;
        long length = b1 & 0x7f;
        if (length == 126) {
            length = ((long) readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        boolean rsv1 = (b0 & 0x40) != 0;
        if ((b0 & 0x30) != 0 || rsv1 && (!compress || opcode == OP_CONTINUATION || opcode >= OP_CLOSE)
                || (!masked && !noMasking) || length < 0) {
            sendClose(1002);
            return false;
        }
        if (masked) {
            for (int i = 0; i < 4; i++) {
                mask[i] = (byte) readByte();
            }
        }
        maskIndex = 0;
        frameMasked = masked;
        switch (opcode) {
            case OP_CONTINUATION, OP_TEXT, OP_BINARY -> {
                if (rsv1 || opcode == OP_CONTINUATION && compressedMessage != null) {
                    return compressedFrame(length, (b0 & 0x80) != 0);
                }
                frameRemaining = length;
                return true;
            }
            case OP_PING, OP_PONG, OP_CLOSE -> {
                if (length > 125) {
                    sendClose(1002);
                    return false;
                }
                byte[] payload = in.readNBytes((int) length);
                if (payload.length < length) {
                    return false;
                }
                if (masked) {
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i & 3];
                    }
                }
                if (opcode == OP_PING) {
                    writeFrame(OP_PONG, payload, 0, payload.length);
                    return true;
                }
                if (opcode == OP_CLOSE) {
                    sendClose(1000);
                    return false;
                }
                return true;
            }
            default -> {
                sendClose(1002);
                return false;
            }
        }
    }

    /** Collects a frame of a compressed message; after the last one, inflates the message for read(). */
    private boolean compressedFrame(long length, boolean fin) throws IOException {
        if (compressedMessage == null) {
            compressedMessage = new ByteArrayOutputStream();
        }
        if (compressedMessage.size() + length > MAX_MESSAGE) {
            sendClose(1009);
            return false;
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length < length) {
            return false;
        }
        if (frameMasked) {
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i & 3];
            }
        }
        compressedMessage.write(payload);
        if (!fin) {
            return true;
        }
        // permessage-deflate strips the final empty stored block; the inflater needs it back.
        compressedMessage.write(DEFLATE_TAIL);
        byte[] message = compressedMessage.toByteArray();
        compressedMessage = null;
        if (inflater == null) {
            inflater = new Inflater(true);
        }
        // No context takeover: every message is inflated on its own.
        inflater.reset();
        inflater.setInput(message);
        ByteArrayOutputStream plain = new ByteArrayOutputStream(message.length * 4);
        byte[] chunk = new byte[Math.max(1024, message.length * 4)];
        try {
            while (!inflater.needsInput() && !inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsDictionary() || inflater.needsInput())) {
                    break;
                }
                plain.write(chunk, 0, n);
                if (plain.size() > MAX_MESSAGE) {
                    sendClose(1009);
                    return false;
                }
            }
        } catch (DataFormatException e) {
            sendClose(1007);
            return false;
        }
        inflated = plain.toByteArray();
        inflatedPos = 0;
        return true;
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("WebSocket stream ended inside a frame header");
        }
        return b;
    }

    private void sendClose(int status) throws IOException {
        writeLock.lock();
        try {
            if (closeSent) {
                return;
            }
            closeSent = true;
        } finally {
            writeLock.unlock();
        }
        writeFrame(OP_CLOSE, new byte[] {(byte) (status >> 8), (byte) status}, 0, 2);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (compress && len >= COMPRESS_THRESHOLD) {
            writeCompressed(b, off, len);
        } else {
            writeFrame(OP_BINARY, b, off, len);
        }
    }

    /** One binary message, deflated without context takeover, as nats-server sends it (RSV1 set). */
    private void writeCompressed(byte[] b, int off, int len) throws IOException {
        writeLock.lock();
        try {
            if (deflater == null) {
                deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
            }
            deflater.reset();
            deflater.setInput(b, off, len);
            int size = 0;
            if (deflated == null || deflated.length < len / 2 + 64) {
                deflated = new byte[Math.max(len / 2 + 64, 1024)];
            }
            while (true) {
                int n = deflater.deflate(deflated, size, deflated.length - size, Deflater.SYNC_FLUSH);
                size += n;
                if (size < deflated.length) {
                    break;
                }
                deflated = Arrays.copyOf(deflated, deflated.length * 2);
            }
            // The sync flush ends with an empty stored block (00 00 ff ff), which permessage-deflate leaves off.
            int body = size >= 4 ? size - 4 : size;
            writeFrameLocked(0x40 | OP_BINARY, deflated, 0, body);
            if (deflated.length > MAX_KEPT_FRAME) {
                deflated = null;
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Writes one unmasked frame with a single socket write (header and payload copied together). */
    private void writeFrame(int opcode, byte[] b, int off, int len) throws IOException {
        writeLock.lock();
        try {
            writeFrameLocked(opcode, b, off, len);
        } finally {
            writeLock.unlock();
        }
    }

    /** {@code firstByte} is the opcode with the RSV bits; FIN is added. */
    private void writeFrameLocked(int firstByte, byte[] b, int off, int len) throws IOException {
        int header = len < 126 ? 2 : len < 65536 ? 4 : 10;
        if (frame.length < header + len) {
            frame = new byte[Math.max(header + len, Math.min(frame.length * 2, MAX_KEPT_FRAME))];
        }
        frame[0] = (byte) (0x80 | firstByte);
        if (header == 2) {
            frame[1] = (byte) len;
        } else if (header == 4) {
            frame[1] = 126;
            frame[2] = (byte) (len >> 8);
            frame[3] = (byte) len;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[9 - i] = (byte) ((long) len >>> (8 * i));
            }
        }
        System.arraycopy(b, off, frame, header, len);
        out.write(frame, 0, header + len);
        out.flush();
        if (frame.length > MAX_KEPT_FRAME) {
            frame = new byte[INITIAL_FRAME];
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            writeLock.lock();
            try {
                if (deflater != null) {
                    deflater.end();
                    deflater = null;
                }
            } finally {
                writeLock.unlock();
            }
        } catch (IOException ignored) {
            // Closing a broken socket has nothing left to report.
        }
    }

    @Override
    public String remoteHost() {
        return host;
    }

    @Override
    public int remotePort() {
        return port;
    }

    @Override
    public String kind() {
        return "websocket";
    }
}
