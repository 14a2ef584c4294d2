package io.pocketbus.http;

import io.pocketbus.core.App;
import java.util.Map;

/**
 * Where {@code /api/oauth2-redirect} hands the provider's answer: the realtime client whose id is the
 * OAuth2 {@code state} and which subscribed to {@code @oauth2} (the SDK's all-in-one flow); see
 * {@link RealtimeOAuth2Redirects}.
 */
@FunctionalInterface
public interface OAuth2RedirectTarget {
    /**
     * Sends {@code message} ({@code state}, {@code code}, {@code error}?) as the {@code @oauth2} event to the
     * client {@code state} of {@code app} that connected from {@code ip}, and unsubscribes it; false when
     * there is no such client.
     */
    boolean deliver(App app, String state, String ip, Map<String, String> message);
}
