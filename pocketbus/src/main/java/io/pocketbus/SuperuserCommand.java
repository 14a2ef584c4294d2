package io.pocketbus;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pocketbus superuser upsert|create|update|delete EMAIL [PASSWORD]}, PocketBase's superuser command. */
@Command(name = "superuser", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Manage superusers.",
        subcommands = {SuperuserCommand.Upsert.class, SuperuserCommand.Create.class, SuperuserCommand.Update.class,
                SuperuserCommand.Delete.class})
final class SuperuserCommand implements Runnable {
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** What every subcommand shares: the data directory and running against a bootstrapped app. */
    abstract static class Action implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--dir", paramLabel = "DIR", defaultValue = "./pb_data",
                description = "The PocketBase data directory (default: ${DEFAULT-VALUE}).")
        Path dir;

        @Parameters(index = "0", paramLabel = "EMAIL")
        String email;

        @Override
        public Integer call() {
            if (!EMAIL.matcher(email).matches()) {
                throw new CommandLine.ParameterException(spec.commandLine(), "missing or invalid email address");
            }
            App app = Pocketbus.newApp(dir);
            app.bootstrap();
            try {
                Collection superusers = app.findCollectionByNameOrId(Collection.SUPERUSERS)
                        .orElseThrow(() -> new IllegalStateException("missing the _superusers collection"));
                Optional<Record> existing = app.findRecordsByField(superusers, "email", email).stream().findFirst();
                return run(app, superusers, existing, spec.commandLine().getOut());
            } catch (ApiError e) {
                spec.commandLine().getErr().println(failure(e));
                return 1;
            } finally {
                app.close();
            }
        }

        abstract String failure(ApiError e);

        abstract int run(App app, Collection superusers, Optional<Record> existing, PrintWriter out);

        static void setPassword(Record superuser, String password) {
            superuser.set("password", password);
            superuser.refreshTokenKey();
        }

        static String describe(ApiError e) {
            return e.data().isEmpty() ? e.message() : e.message() + " " + e.toMap().get("data");
        }
    }

    @Command(name = "upsert", mixinStandardHelpOptions = true,
            description = "Creates, or updates if email exists, a single superuser.")
    static final class Upsert extends Action {
        @Parameters(index = "1", paramLabel = "PASSWORD")
        String password;

        @Override
        int run(App app, Collection superusers, Optional<Record> existing, PrintWriter out) {
            Record superuser = existing.orElseGet(() -> new Record(superusers));
            superuser.set("email", email);
            setPassword(superuser, password);
            app.save(superuser);
            out.printf("Successfully saved superuser \"%s\"!%n", email);
            return 0;
        }

        @Override
        String failure(ApiError e) {
            return "failed to upsert superuser account: " + describe(e);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates a new superuser.")
    static final class Create extends Action {
        @Parameters(index = "1", paramLabel = "PASSWORD")
        String password;

        @Override
        int run(App app, Collection superusers, Optional<Record> existing, PrintWriter out) {
            Record superuser = new Record(superusers);
            superuser.set("email", email);
            setPassword(superuser, password);
            app.save(superuser);
            out.printf("Successfully created new superuser \"%s\"!%n", email);
            return 0;
        }

        @Override
        String failure(ApiError e) {
            return "failed to create new superuser account: " + describe(e);
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Changes the password of a single superuser.")
    static final class Update extends Action {
        @Parameters(index = "1", paramLabel = "PASSWORD")
        String password;

        @Override
        int run(App app, Collection superusers, Optional<Record> existing, PrintWriter out) {
            if (existing.isEmpty()) {
                spec.commandLine().getErr().printf("superuser with email \"%s\" doesn't exist%n", email);
                return 1;
            }
            setPassword(existing.get(), password);
            app.save(existing.get());
            out.printf("Successfully changed superuser \"%s\" password!%n", email);
            return 0;
        }

        @Override
        String failure(ApiError e) {
            return "failed to change superuser \"" + email + "\" password: " + describe(e);
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes an existing superuser.")
    static final class Delete extends Action {
        @Override
        int run(App app, Collection superusers, Optional<Record> existing, PrintWriter out) {
            if (existing.isEmpty()) {
                out.printf("superuser \"%s\" is missing or already deleted%n", email);
                return 0;
            }
            app.delete(existing.get());
            out.printf("Successfully deleted superuser \"%s\"!%n", email);
            return 0;
        }

        @Override
        String failure(ApiError e) {
            return "failed to delete superuser \"" + email + "\": " + describe(e);
        }
    }
}
