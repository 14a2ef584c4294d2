package io.pocketbus.broker;

/** A listen address from the configuration; {@code host} is empty when only a port was given. */
public record ConfigListen(String host, int port) {

    public ConfigListen {
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }
}
