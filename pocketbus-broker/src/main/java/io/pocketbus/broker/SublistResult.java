package io.pocketbus.broker;

/** The subscriptions a subject matched: every plain one, and per queue group all members to pick from. */
final class SublistResult {
    static final SublistResult EMPTY = new SublistResult(new Subscription[0], new Subscription[0][]);

    final Subscription[] plain;
    final Subscription[][] queues;

    SublistResult(Subscription[] plain, Subscription[][] queues) {
        this.plain = plain;
        this.queues = queues;
    }

    boolean isEmpty() {
        return plain.length == 0 && queues.length == 0;
    }
}
