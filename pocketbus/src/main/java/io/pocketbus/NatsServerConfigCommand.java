package io.pocketbus;

import io.pocketbus.bridge.NatsServerAccountSync;
import io.pocketbus.bridge.OperatorIdentity;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code pocketbus nats-server-config}: the operator-mode block of a nats-server configuration trusting this data
 * directory's operator, with a full resolver for {@code serve --nats-resolver-url} to push the accounts into.
 */
@Command(name = "nats-server-config", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Prints the operator, system account and full resolver settings for an external nats-server "
                + "that serves this data directory's projects (see serve --nats-resolver-url).")
final class NatsServerConfigCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "./pb_data",
            description = "The PocketBase data directory (default: ${DEFAULT-VALUE}); the operator is created if missing.")
    private Path dir;

    @Option(names = "--resolver-dir", paramLabel = "DIR", required = true,
            description = "Where the nats-server keeps the account JWTs it is sent.")
    private Path resolverDir;

    @Override
    public Integer call() {
        OperatorIdentity identity = OperatorIdentity.loadOrCreate(dir);
        spec.commandLine().getOut().print(NatsServerAccountSync.fullResolverConfig(identity,
                identity.directory().resolve("operator.jwt").toAbsolutePath(), resolverDir.toAbsolutePath()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
