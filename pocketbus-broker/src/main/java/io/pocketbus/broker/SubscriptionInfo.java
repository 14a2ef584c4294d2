package io.pocketbus.broker;

import java.util.Optional;

/**
 * A snapshot of one subscription, for monitoring ({@code /subsz}).
 *
 * @param account the account whose subject space it lives in
 * @param subject the subscribed subject (may contain wildcards)
 * @param queue the queue group, if any
 * @param sid the client's subscription id
 * @param cid the owning connection's client id
 * @param msgs messages delivered on it so far
 * @param max the auto-unsubscribe limit, 0 for none
 */
public record SubscriptionInfo(String account, String subject, Optional<String> queue, String sid, long cid, long msgs, long max) {
}
