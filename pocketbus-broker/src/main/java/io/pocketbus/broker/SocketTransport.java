package io.pocketbus.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A plain TCP client connection. */
final class SocketTransport implements Transport {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String host;
    private final int port;

    SocketTransport(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        this.host = remote.getAddress().getHostAddress();
        this.port = remote.getPort();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        return in.read(b, off, len);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing a socket that is already broken has nothing left to report.
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
        return "tcp";
    }
}
