package io.pocketbus.bridge;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** jnats connections with issued credentials, recording the errors and events each one sees. */
final class Clients {

    static final Duration WAIT = Duration.ofSeconds(10);
    /**
     * For the test brokers: a cold JVM's first jnats connection on a loaded machine can take longer than
     * nats-server's two seconds between INFO and CONNECT (class loading, the first Ed25519 signature).
     */
    static final Duration AUTH_TIMEOUT = Duration.ofSeconds(30);

    private Clients() {
    }

    /** A jnats client and what happened to it. */
    record Client(Connection connection, BlockingQueue<String> errors, BlockingQueue<ConnectionListener.Events> events)
            implements AutoCloseable {

        /** Waits until the connection is closed by the server. */
        boolean awaitClosed() throws InterruptedException {
            ConnectionListener.Events e;
            do {
                e = events.poll(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } while (e != null && e != ConnectionListener.Events.CLOSED);
            return e == ConnectionListener.Events.CLOSED;
        }

        @Override
        public void close() {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static Options.Builder options(int port, IssuedCredential credential) {
        return options("nats://127.0.0.1:" + port, credential);
    }

    static Options.Builder options(String url, IssuedCredential credential) {
        // generous connect timeout: the first connection of a cold JVM on a loaded machine is slow
        return Options.builder().server(url).maxReconnects(0)
                .connectionTimeout(Duration.ofSeconds(30))
                .authHandler(Nats.staticCredentials(credential.jwt().toCharArray(), credential.seed().toCharArray()));
    }

    static Client connect(int port, IssuedCredential credential) throws Exception {
        return connect(options(port, credential));
    }

    static Client connect(Options.Builder options) throws Exception {
        BlockingQueue<String> errors = new LinkedBlockingQueue<>();
        BlockingQueue<ConnectionListener.Events> events = new LinkedBlockingQueue<>();
        try {
            Connection nc = Nats.connect(options.errorListener(collecting(errors))
                    .connectionListener((conn, event) -> events.add(event)).build());
            return new Client(nc, errors, events);
        } catch (java.io.IOException e) {
            throw new java.io.IOException(e.getMessage() + "; errors seen: " + errors + ", events: " + events, e);
        }
    }

    private static ErrorListener collecting(BlockingQueue<String> errors) {
        return new ErrorListener() {
            @Override
            public void errorOccurred(Connection conn, String error) {
                errors.add(error);
            }

            @Override
            public void exceptionOccurred(Connection conn, Exception exp) {
                if (exp instanceof io.nats.client.AuthenticationException) {
                    errors.add(exp.getMessage());
                }
            }
        };
    }
}
