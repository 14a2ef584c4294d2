package io.pocketbus;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pocketbus} command line, in PocketBase's shape: {@code serve}, {@code superuser}, {@code --version}, and {@code broker} (NATS alone). */
@Command(name = "pocketbus", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "PocketBase and NATS in one program.",
        subcommands = {ServeCommand.class, BrokerCommand.class, SuperuserCommand.class, NatsServerConfigCommand.class,
                CommandLine.HelpCommand.class})
public final class PocketbusCli implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, for running commands in-process (tests, embedding). */
    public static CommandLine commandLine() {
        return new CommandLine(new PocketbusCli());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
