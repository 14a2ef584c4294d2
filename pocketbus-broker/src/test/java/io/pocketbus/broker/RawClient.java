package io.pocketbus.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A byte-level NATS client for what real clients hide: it sends raw protocol and reads raw replies. */
final class RawClient implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    /** Reads and returns the INFO line the server sends first. */
    String info() throws IOException {
        return readUntil("\r\n");
    }

    RawClient send(String protocol) throws IOException {
        out.write(protocol.getBytes(StandardCharsets.UTF_8));
        out.flush();
        return this;
    }

    RawClient send(byte[] protocol) throws IOException {
        out.write(protocol);
        out.flush();
        return this;
    }

    /** Everything received up to and including the first occurrence of the marker. */
    String readUntil(String marker) throws IOException {
        byte[] buf = new byte[8192];
        while (true) {
            String have = pending.toString(StandardCharsets.UTF_8);
            int at = have.indexOf(marker);
            if (at >= 0) {
                String result = have.substring(0, at + marker.length());
                byte[] rest = have.substring(at + marker.length()).getBytes(StandardCharsets.UTF_8);
                pending.reset();
                pending.write(rest);
                return result;
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("connection closed before \"" + marker + "\"; received: " + have);
            }
            pending.write(buf, 0, n);
        }
    }

    /** Sends PING and returns everything received before the matching PONG. */
    String sync() throws IOException {
        send("PING\r\n");
        String s = readUntil("PONG\r\n");
        return s.substring(0, s.length() - "PONG\r\n".length());
    }

    /** Reads until the server closes the connection and returns what arrived. */
    String readToClose() throws IOException {
        byte[] buf = new byte[8192];
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                pending.write(buf, 0, n);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("server did not close; received: " + pending.toString(StandardCharsets.UTF_8), e);
        } catch (IOException e) {
            // A reset after the server closed counts as closed.
        }
        String s = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return s;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
