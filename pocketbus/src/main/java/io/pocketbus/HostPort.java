package io.pocketbus;

/** A {@code host:port} listen address from the command line or the builder; port 0 picks a free one. */
record HostPort(String host, int port) {

    HostPort {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("invalid port " + port);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("missing host");
        }
    }

    static HostPort parse(String hostAndPort) {
        int colon = hostAndPort.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("expected host:port, got " + hostAndPort);
        }
        String host = hostAndPort.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            return new HostPort(host, Integer.parseInt(hostAndPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid port in " + hostAndPort, e);
        }
    }
}
