package io.pocketbus.bridge;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.pocketbus.broker.Broker;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes everything a project's account holds in JetStream — streams, and with them its KV buckets
 * ({@code KV_…}) and object stores ({@code OBJ_…}) — through the JetStream API, as a client of that account:
 * the broker keeps JetStream per account and offers no other way in, and the same works against a
 * nats-server.
 */
final class ProjectStreams {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectStreams.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private ProjectStreams() {
    }

    /** Connects with the credential and deletes every stream of its account; returns how many. */
    static int deleteAll(Broker broker, String projectId, String jwt, String seed) {
        Options options = Options.builder().server("nats://" + loopbackIfWildcard(broker.host()) + ":" + broker.port())
                .authHandler(Nats.staticCredentials(jwt.toCharArray(), seed.toCharArray()))
                .maxReconnects(0).connectionTimeout(TIMEOUT).build();
        Connection nc = null;
        try {
            nc = Nats.connect(options);
            if (!nc.getServerInfo().isJetStreamAvailable()) {
                return 0;
            }
            JetStreamManagement jsm = nc.jetStreamManagement();
            List<String> names = jsm.getStreamNames();
            for (String name : names) {
                jsm.deleteStream(name);
            }
            return names.size();
        } catch (IOException | JetStreamApiException e) {
            LOG.warn("could not delete the streams of project {}: {}", projectId, e.getMessage());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } finally {
            close(nc);
        }
    }

    private static void close(Connection nc) {
        if (nc == null) {
            return;
        }
        try {
            nc.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String loopbackIfWildcard(String host) {
        try {
            String h = InetAddress.getByName(host).isAnyLocalAddress() ? "127.0.0.1" : host;
            return h.contains(":") ? "[" + h + "]" : h;
        } catch (IOException e) {
            return host;
        }
    }
}
