package io.pocketbus.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * A bare NATS protocol connection for load generation: the jnats client is itself the bottleneck on a
 * 2-core machine, so these write pre-rendered frames and count MSG frames without decoding them.
 */
final class RawConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final MsgCounter counter = new MsgCounter();
    /** Idle connections keep a small read buffer; a busy one grows it up to {@link #MAX_BUFFER}. */
    private static final int MIN_BUFFER = 2 * 1024;
    private static final int MAX_BUFFER = 256 * 1024;
    private byte[] buffer = new byte[MIN_BUFFER];
    private volatile long messages;

    RawConnection(int port) {
        this(port, true);
    }

    /** @param large whether to ask for 4 MiB socket buffers (for load); idle connections use the defaults */
    RawConnection(int port, boolean large) {
        try {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            if (large) {
                socket.setReceiveBufferSize(4 * 1024 * 1024);
                socket.setSendBufferSize(4 * 1024 * 1024);
            }
            socket.connect(new InetSocketAddress("127.0.0.1", port));
            in = socket.getInputStream();
            out = socket.getOutputStream();
            readInfo();
            write("CONNECT {\"verbose\":false,\"pedantic\":false,\"headers\":true,\"protocol\":1}\r\n");
            ping();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void subscribe(String subject, String queue, int sid) {
        write("SUB " + subject + (queue.isEmpty() ? "" : " " + queue) + " " + sid + "\r\n");
        ping();
    }

    void write(String text) {
        write(text.getBytes(StandardCharsets.US_ASCII));
    }

    void write(byte[] bytes) {
        try {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends PING and reads until its PONG, counting any messages that arrive before it. */
    void ping() {
        write("PING\r\n");
        long pongs = counter.pongs();
        while (counter.pongs() == pongs) {
            readSome();
        }
    }

    /**
     * Reads until {@code done} holds; checked after every read, and at least every 100 ms (for queue members
     * whose group may finish without them).
     */
    void readUntil(BooleanSupplier done) {
        try {
            socket.setSoTimeout(100);
            while (!done.getAsBoolean()) {
                try {
                    readSome();
                } catch (UncheckedIOException e) {
                    if (!(e.getCause() instanceof SocketTimeoutException)) {
                        throw e;
                    }
                }
            }
            socket.setSoTimeout(0);
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Messages counted so far; safe to read from other threads. */
    long messages() {
        return messages;
    }

    private void readSome() {
        try {
            int n = in.read(buffer);
            if (n < 0) {
                throw new IllegalStateException("server closed the connection after " + counter.messages() + " messages");
            }
            counter.feed(buffer, 0, n);
            messages = counter.messages();
            if (n == buffer.length && buffer.length < MAX_BUFFER) {
                buffer = new byte[Math.min(buffer.length * 4, MAX_BUFFER)];
            }
            if (counter.takePings() > 0) {
                write("PONG\r\n");
            }
            if (counter.error() != null) {
                throw new IllegalStateException("server error: " + counter.error());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readInfo() throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                throw new IOException("no INFO");
            }
            line.append((char) c);
        }
        if (!line.toString().startsWith("INFO ")) {
            throw new IOException("expected INFO, got " + line);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a benchmark socket; nothing to recover
        }
    }
}
