package io.pocketbus.bench;

/** The messaging load shapes compared side by side. */
enum Shape {
    PUB_ONLY("publish only", 0, false),
    ONE_TO_ONE("1 -> 1", 1, false),
    FAN_OUT("1 -> 4 fan-out", 4, false),
    QUEUE_GROUP("4-member queue group", 4, true);

    final String label;
    final int subscribers;
    final boolean queue;

    Shape(String label, int subscribers, boolean queue) {
        this.label = label;
        this.subscribers = subscribers;
        this.queue = queue;
    }
}
