package io.pocketbus.broker;

import java.nio.file.Path;

/**
 * The broker process {@link JetStreamCrashTest} kills: JetStream on file storage under {@code args[0]},
 * with the sync policy {@code args[1]}; prints {@code PORT <n>} once it accepts connections.
 */
public final class JetStreamCrashBroker {
    private JetStreamCrashBroker() {
    }

    public static void main(String[] args) throws InterruptedException {
        Broker broker = Broker.builder().port(0)
                .jetStream(JetStreamConfig.storeDir(Path.of(args[0])).syncPolicy(SyncPolicy.valueOf(args[1])).build())
                .build().start();
        System.out.println("PORT " + broker.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
