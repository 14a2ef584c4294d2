package io.pocketbus.http;

import java.util.Map;

/**
 * Where {@code /api/oauth2-redirect} hands the provider's answer: the realtime client whose id is the
 * OAuth2 {@code state} and which subscribed to {@code @oauth2} (the SDK's all-in-one flow). The realtime
 * endpoint plugs in here; until then no client is ever found and the redirect goes to the failure page.
 */
@FunctionalInterface
public interface OAuth2RedirectTarget {
    /** Nothing to deliver to (no realtime endpoint). */
    OAuth2RedirectTarget NONE = (state, ip, message) -> false;

    /**
     * Sends {@code message} ({@code state}, {@code code}, {@code error}?) as the {@code @oauth2} event to the
     * client {@code state} that connected from {@code ip}, and unsubscribes it; false when there is no such
     * client.
     */
    boolean deliver(String state, String ip, Map<String, String> message);
}
