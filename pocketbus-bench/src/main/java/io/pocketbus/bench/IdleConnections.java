package io.pocketbus.bench;

import java.util.ArrayList;
import java.util.List;

/** Resident memory a server spends per idle client connection. */
final class IdleConnections {
    private IdleConnections() {
    }

    /** Opens {@code count} connections (each CONNECT + PING/PONG done), returns RSS bytes per connection. */
    static double bytesPerConnection(ServerProcess server, int count) throws InterruptedException {
        List<RawConnection> connections = new ArrayList<>(count);
        try {
            connections.add(new RawConnection(server.port(), false));
            Thread.sleep(1000);
            long before = server.residentBytes();
            for (int i = 1; i < count; i++) {
                connections.add(new RawConnection(server.port(), false));
            }
            // let the server's allocator settle before reading /proc
            Thread.sleep(2000);
            long after = server.residentBytes();
            return (after - before) / (double) (count - 1);
        } finally {
            connections.forEach(RawConnection::close);
        }
    }
}
