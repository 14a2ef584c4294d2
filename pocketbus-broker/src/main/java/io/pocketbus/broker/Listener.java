package io.pocketbus.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A bound server socket with its accept loop on a virtual thread. */
final class Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Listener.class);

    private final ServerSocket socket;
    private final String name;
    private volatile Thread acceptor;
    private volatile boolean closed;

    private Listener(ServerSocket socket, String name) {
        this.socket = socket;
        this.name = name;
    }

    /** Binds at once, so a port conflict surfaces from {@code Broker.start()}. */
    static Listener bind(String host, int port, String name) {
        try {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port), 1024);
            return new Listener(s, name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + host + ":" + port, e);
        }
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Starts accepting; every accepted socket goes to the handler, which must not block for long. */
    void start(Consumer<Socket> handler) {
        acceptor = Thread.ofVirtual().name("pocketbus-broker-" + name + "-accept").start(() -> {
            while (!closed) {
                Socket s;
                try {
                    s = socket.accept();
                } catch (IOException e) {
                    if (!closed) {
                        LOG.warn("{} accept failed", name, e);
                        continue;
                    }
                    return;
                }
                handler.accept(s);
            }
        });
    }

    /** Closes the socket and waits for the accept loop, so the port is free when this returns. */
    void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("closing {} listener", name, e);
        }
        Thread t = acceptor;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            LOG.debug("closing socket", e);
        }
    }
}
