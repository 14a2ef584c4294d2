package io.nats.client.impl;

import io.pocketbus.broker.Broker;
import io.pocketbus.broker.InProcessConnection;
import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Test glue that lets jnats talk to {@link Broker#connectInProcess()} through its DataPort extension point
 * (it lives in jnats' package because DataPort names the package-private NatsConnection). The server URI's
 * port selects a registered broker; no socket is opened.
 */
public class InProcessDataPort implements DataPort {
    public static final Map<Integer, Broker> BROKERS = new ConcurrentHashMap<>();

    private InProcessConnection connection;

    @Override
    public void connect(String serverURI, NatsConnection conn, long timeoutNanos) throws IOException {
        Broker broker = BROKERS.get(URI.create(serverURI).getPort());
        if (broker == null) {
            throw new IOException("no in-process broker registered for " + serverURI);
        }
        connection = broker.connectInProcess();
    }

    @Override
    public void upgradeToSecure() throws IOException {
        throw new IOException("TLS is not used in-process");
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        return connection.input().read(dst, off, len);
    }

    @Override
    public void write(byte[] src, int toWrite) throws IOException {
        connection.output().write(src, 0, toWrite);
    }

    @Override
    public void shutdownInput() {
        connection.close();
    }

    @Override
    public void close() {
        connection.close();
    }

    @Override
    public void flush() {
        // Pipe writes are visible to the broker at once.
    }
}
