package io.pocketbus.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/**
 * The client end of an in-process connection: the broker serves it exactly like a socket (INFO first,
 * then the NATS protocol), so any NATS client that can run over a pair of streams works, with no port
 * and no network. Obtain one from {@link Broker#connectInProcess()}.
 */
public final class InProcessConnection implements AutoCloseable {
    private final BytePipe fromServer;
    private final BytePipe toServer;
    private final InputStream input;
    private final OutputStream output;

    InProcessConnection(BytePipe fromServer, BytePipe toServer) {
        this.fromServer = fromServer;
        this.toServer = toServer;
        this.input = new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = fromServer.read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                return fromServer.read(b, off, len);
            }

            @Override
            public void close() {
                InProcessConnection.this.close();
            }
        };
        this.output = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                toServer.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                toServer.write(b, off, len);
            }

            @Override
            public void close() {
                InProcessConnection.this.close();
            }
        };
    }

    /** Bytes the broker sends: INFO, MSG, PONG, -ERR, … */
    public InputStream input() {
        return input;
    }

    /** Bytes for the broker: CONNECT, PUB, SUB, PING, … */
    public OutputStream output() {
        return output;
    }

    /** Closes both directions; the broker sees the client go away. */
    @Override
    public void close() {
        toServer.close();
        fromServer.close();
    }

    /** The broker's side of the same pipes, reporting the client as the given transport and address. */
    static final class ServerSide implements Transport {
        private final BytePipe fromClient;
        private final BytePipe toClient;
        private final String kind;
        private final String remoteHost;
        private final int remotePort;

        ServerSide(BytePipe fromClient, BytePipe toClient, String kind, String remoteHost, int remotePort) {
            this.fromClient = fromClient;
            this.toClient = toClient;
            this.kind = kind;
            this.remoteHost = remoteHost;
            this.remotePort = remotePort;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return fromClient.read(b, off, len);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            toClient.write(b, off, len);
        }

        @Override
        public void close() {
            fromClient.close();
            toClient.close();
        }

        @Override
        public String remoteHost() {
            return remoteHost;
        }

        @Override
        public int remotePort() {
            return remotePort;
        }

        @Override
        public String kind() {
            return kind;
        }
    }
}
