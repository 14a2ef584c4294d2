package io.pocketbus;

import io.nats.client.Connection;
import io.nats.client.Consumer;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.pocketbus.broker.Broker;
import io.pocketbus.broker.CredsFile;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * jnats options for Pocketbus's own connections to the embedded broker: over loopback (a wildcard listen
 * address is reached at 127.0.0.1), as the app account's user when credentials are given, and without
 * reconnecting unless asked (most of these connections end only when the broker stops).
 */
final class EmbeddedBrokerClient {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerClient.class);

    private EmbeddedBrokerClient() {
    }

    static Options.Builder options(Broker broker, Optional<CredsFile> credentials, String connectionName) {
        String host = broker.host();
        try {
            host = InetAddress.getByName(host).isAnyLocalAddress() ? "127.0.0.1" : host;
        } catch (UnknownHostException e) {
            // not resolvable here: jnats reports it when connecting
        }
        Options.Builder options = Options.builder()
                .server("nats://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + broker.port())
                .connectionName(connectionName).maxReconnects(0)
                .errorListener(new ErrorListener() {
                    @Override
                    public void exceptionOccurred(Connection conn, Exception exp) {
                        // the broker stopping ends the connection: not an error to report
                        LOG.debug("{} connection to the embedded broker: {}", connectionName, exp.toString());
                    }

                    @Override
                    public void slowConsumerDetected(Connection conn, Consumer consumer) {
                        LOG.warn("slow subscriber on the {} connection: {} messages dropped so far",
                                connectionName, consumer.getDroppedCount());
                    }
                });
        credentials.ifPresent(creds -> options.authHandler(
                Nats.staticCredentials(creds.jwt().toCharArray(), creds.seed().toCharArray())));
        return options;
    }
}
