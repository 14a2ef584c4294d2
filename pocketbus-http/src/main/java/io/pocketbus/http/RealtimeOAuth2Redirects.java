package io.pocketbus.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.pocketbus.core.App;
import java.util.Map;
import java.util.Optional;

/**
 * The SDK's all-in-one OAuth2 flow: the provider's answer goes to the realtime client whose id is the
 * {@code state}, as PocketBase checks it: the client exists, holds the {@code @oauth2} subscription, and
 * (when its address is known) connected from the address the redirect comes from, so a leaked state cannot
 * be answered from elsewhere. The subscription is removed whatever the outcome, a refused redirect included:
 * one attempt per flow.
 */
final class RealtimeOAuth2Redirects implements OAuth2RedirectTarget {
    static final String TOPIC = "@oauth2";

    @Override
    public boolean deliver(App app, String state, String ip, Map<String, String> message) {
        Optional<Realtime> realtime = Realtime.find(app);
        if (realtime.isEmpty() || !realtime.get().hasSubscription(state, TOPIC)) {
            return false;
        }
        Realtime broker = realtime.get();
        try {
            String connectedFrom = broker.clientIp(state).orElse("");
            if (!connectedFrom.isEmpty() && !connectedFrom.equals(ip)) {
                return false;
            }
            return broker.send(state, TOPIC, Json.MAPPER.writeValueAsString(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode the OAuth2 redirect message", e);
        } finally {
            broker.unsubscribe(state, TOPIC);
        }
    }
}
