package io.pocketbus;

import io.pocketbus.bridge.OperatorIdentity;
import io.pocketbus.bridge.PocketbusDomain;
import io.pocketbus.bridge.ProjectAccounts;
import io.pocketbus.bridge.ProjectAccountsBinding;
import io.pocketbus.core.App;
import io.pocketbus.core.RuleCheck;
import io.pocketbus.db.sqlite.SqliteDialect;
import io.pocketbus.http.ApiHooks;
import io.pocketbus.http.Apis;
import io.pocketbus.http.HttpServer;
import io.pocketbus.http.ServeEvent;
import io.pocketbus.tools.hook.Hook;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Pocketbus embedded in a Java program: the app on its data directory and the HTTP API.
 *
 * <pre>{@code
 * Pocketbus pb = Pocketbus.builder().dataDir(Path.of("pb_data")).http("127.0.0.1:8090").build();
 * pb.onServe().bindFunc(e -> { e.router().get("/hello", r -> r.string(200, "hi")); e.next(); });
 * pb.start();
 * ...
 * pb.stop();
 * }</pre>
 */
public final class Pocketbus implements AutoCloseable {
    private final App app;
    private final HttpServer http;
    private final List<String> allowedOrigins;
    private final ApiHooks apiHooks = new ApiHooks();
    private final ProjectAccounts projectAccounts;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean started;

    private Pocketbus(Builder b) {
        this.app = newApp(b.dataDir);
        this.http = HttpServer.builder().app(app).address(b.http).gracePeriod(b.gracePeriod).build();
        this.allowedOrigins = List.copyOf(b.allowedOrigins);
        PocketbusDomain.bind(app, http.onServe());
        // each project is a broker account; the broker authenticates with projectAccounts().configure(...)
        this.projectAccounts = ProjectAccounts.open(OperatorIdentity.loadOrCreate(b.dataDir));
        ProjectAccountsBinding.bind(app, http.onServe(), projectAccounts);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The app on its embedded defaults (SQLite), not yet bootstrapped. */
    static App newApp(Path dataDir) {
        App app = App.builder().dataDir(dataDir).dialect(SqliteDialect.create()).build();
        // collection saves check that every API rule compiles, as PocketBase does
        app.setRuleValidator(RuleCheck::validate);
        return app;
    }

    /** The application core: collections, records, hooks. Usable once {@link #start()} bootstrapped it. */
    public App app() {
        return app;
    }

    /**
     * The projects' broker accounts (operator identity in {@code <dataDir>/nats/}): a broker serving project
     * clients is built with {@code projectAccounts().configure(builder)} and then {@code attach}ed.
     */
    public ProjectAccounts projectAccounts() {
        return projectAccounts;
    }

    /** The API's request hooks ({@code onRecordCreateRequest("posts")}, ...). */
    public ApiHooks apiHooks() {
        return apiHooks;
    }

    /** Fired when the HTTP server starts: add custom routes and middlewares there. */
    public Hook<ServeEvent> onServe() {
        return http.onServe();
    }

    /** Bootstraps the app (opening or creating the data directory), then serves HTTP. */
    public Pocketbus start() {
        lock.lock();
        try {
            if (started) {
                throw new IllegalStateException("Pocketbus is already started");
            }
            app.bootstrap();
            // The embedded NATS broker (serve --nats) starts here, once wired: after the app, whose
            // accounts it authenticates against, and before HTTP, which serves /api/nats over it.
            try {
                Apis.bind(http.router(), allowedOrigins, apiHooks);
                http.start();
            } catch (RuntimeException e) {
                app.close();
                throw e;
            }
            started = true;
            return this;
        } finally {
            lock.unlock();
        }
    }

    /** The base URL of the HTTP API, e.g. {@code http://127.0.0.1:8090}. */
    public String url() {
        return http.baseUrl();
    }

    public int port() {
        return http.port();
    }

    /** Stops HTTP (letting in-flight requests finish), then closes the databases. */
    public void stop() {
        lock.lock();
        try {
            if (!started) {
                return;
            }
            started = false;
            try {
                http.stop();
            } finally {
                app.close();
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        stop();
    }

    public static final class Builder {
        private Path dataDir = Path.of("pb_data");
        private String http = "127.0.0.1:8090";
        private Duration gracePeriod = Duration.ofSeconds(10);
        private List<String> allowedOrigins = List.of("*");

        private Builder() {
        }

        /** Where data.db, auxiliary.db and storage/ live ({@code ./pb_data} by default). */
        public Builder dataDir(Path dir) {
            this.dataDir = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /** The HTTP address {@code host:port} ({@code 127.0.0.1:8090} by default; port 0 picks a free one). */
        public Builder http(String hostAndPort) {
            this.http = Objects.requireNonNull(hostAndPort, "hostAndPort");
            return this;
        }

        /** How long stopping waits for in-flight requests (10 s by default). */
        public Builder gracePeriod(Duration period) {
            this.gracePeriod = Objects.requireNonNull(period, "period");
            return this;
        }

        /** CORS origins ({@code *} by default). */
        public Builder allowedOrigins(List<String> origins) {
            this.allowedOrigins = List.copyOf(origins);
            return this;
        }

        public Pocketbus build() {
            return new Pocketbus(this);
        }
    }
}
