package io.pocketbus.broker;

import java.util.concurrent.atomic.AtomicInteger;

/** A subject space: connections in different accounts never see each other's messages. */
final class Account {
    final String name;
    final Sublist sublist = new Sublist();
    final AtomicInteger connections = new AtomicInteger();

    Account(String name) {
        this.name = name;
    }
}
