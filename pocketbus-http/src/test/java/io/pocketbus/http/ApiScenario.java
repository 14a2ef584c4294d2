package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.App;
import io.pocketbus.db.sqlite.SqliteDialect;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * One API scenario in PocketBase's test style: a fresh copy of the PocketBase-made fixture, a request
 * (method, URL, headers, body), and the expected status, body fragments and hooks fired.
 */
final class ApiScenario {
    static final Path FIXTURE = Path.of(System.getProperty("pocketbus.shared", "../../shared"), "fixtures", "pocketbase-v0.39-testdata");
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final String name;
    private String method = "GET";
    private String url = "/";
    private String body;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int expectedStatus = 200;
    private final List<String> expectedContent = new ArrayList<>();
    private final List<String> notExpectedContent = new ArrayList<>();
    private final Map<String, String> expectedHeaders = new LinkedHashMap<>();
    private Consumer<App> beforeTest = app -> { };
    private final ApiHooks apiHooks = new ApiHooks();
    private Map<String, Integer> expectedEvents;
    private String authCollection;
    private String authEmail;
    private Consumer<App> afterTest = app -> { };

    private ApiScenario(String name) {
        this.name = name;
    }

    static ApiScenario of(String name) {
        return new ApiScenario(name);
    }

    ApiScenario request(String requestMethod, String requestUrl) {
        this.method = requestMethod;
        this.url = requestUrl;
        return this;
    }

    ApiScenario header(String headerName, String value) {
        headers.put(headerName, value);
        return this;
    }

    /** Sends a fresh auth token of the record with {@code email} in {@code collection}. */
    ApiScenario auth(String collection, String email) {
        this.authCollection = collection;
        this.authEmail = email;
        return this;
    }

    ApiScenario json(String jsonBody) {
        this.body = jsonBody;
        headers.putIfAbsent("Content-Type", "application/json");
        return this;
    }

    ApiScenario body(String contentType, String rawBody) {
        this.body = rawBody;
        headers.put("Content-Type", contentType);
        return this;
    }

    ApiScenario status(int status) {
        this.expectedStatus = status;
        return this;
    }

    ApiScenario contains(String... fragments) {
        expectedContent.addAll(List.of(fragments));
        return this;
    }

    ApiScenario responseHeader(String headerName, String value) {
        expectedHeaders.put(headerName, value);
        return this;
    }

    ApiScenario notContains(String... fragments) {
        notExpectedContent.addAll(List.of(fragments));
        return this;
    }

    /**
     * The app hooks the request must fire, with how often (as PocketBase's {@code ExpectedEvents}); hooks not
     * listed must not fire. Names as the {@code App} methods: {@code onRecordCreate}, ...
     */
    ApiScenario events(Map<String, Integer> expected) {
        this.expectedEvents = new java.util.TreeMap<>(expected);
        return this;
    }

    /** Binds request hook handlers before the request runs. */
    ApiScenario hooks(Consumer<ApiHooks> binder) {
        binder.accept(apiHooks);
        return this;
    }

    ApiScenario before(Consumer<App> setup) {
        this.beforeTest = setup;
        return this;
    }

    ApiScenario after(Consumer<App> check) {
        this.afterTest = check;
        return this;
    }

    /** Runs the scenario on a fresh fixture copy under {@code tempDir}; returns the response body. */
    String run(Path tempDir) {
        Path data;
        try {
            data = Files.createTempDirectory(tempDir, "pb_data");
            copyFixture(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        App app = App.builder().dataDir(data).dialect(SqliteDialect.create()).build();
        app.setRuleValidator(io.pocketbus.core.RuleCheck::validate);
        app.bootstrap();
        HttpServer server = null;
        try {
            beforeTest.accept(app);
            if (authCollection != null) {
                io.pocketbus.core.Collection c = app.findCollectionByNameOrId(authCollection).orElseThrow();
                headers.put("Authorization", app.newAuthToken(
                        app.findRecordsByField(c, "email", authEmail).getFirst()));
            }
            Map<String, Integer> fired = new java.util.concurrent.ConcurrentSkipListMap<>();
            countEvents(app, fired);
            Router router = new Router();
            Apis.bind(router, List.of("*"), apiHooks);
            server = HttpServer.builder().app(app).router(router).address("127.0.0.1:0").build();
            server.start();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + url))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("%s: status (body %s)", name, response.body())
                    .isEqualTo(expectedStatus);
            for (String fragment : expectedContent) {
                assertThat(response.body()).as("%s: body", name).contains(fragment);
            }
            expectedHeaders.forEach((h, v) -> assertThat(response.headers().firstValue(h))
                    .as("%s: header %s", name, h).hasValue(v));
            for (String fragment : notExpectedContent) {
                assertThat(response.body()).as("%s: body", name).doesNotContain(fragment);
            }
            if (expectedEvents != null) {
                assertThat(fired).as("%s: hooks fired", name).isEqualTo(expectedEvents);
            }
            afterTest.accept(app);
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (server != null) {
                server.stop();
            }
            app.close();
        }
    }

    private static void countEvents(App app, Map<String, Integer> fired) {
        Map<String, io.pocketbus.tools.hook.TaggedHook<? extends io.pocketbus.tools.hook.Event>> hooks =
                new LinkedHashMap<>();
        hooks.put("onRecordValidate", app.onRecordValidate());
        hooks.put("onRecordCreate", app.onRecordCreate());
        hooks.put("onRecordCreateExecute", app.onRecordCreateExecute());
        hooks.put("onRecordAfterCreateSuccess", app.onRecordAfterCreateSuccess());
        hooks.put("onRecordAfterCreateError", app.onRecordAfterCreateError());
        hooks.put("onRecordUpdate", app.onRecordUpdate());
        hooks.put("onRecordUpdateExecute", app.onRecordUpdateExecute());
        hooks.put("onRecordAfterUpdateSuccess", app.onRecordAfterUpdateSuccess());
        hooks.put("onRecordAfterUpdateError", app.onRecordAfterUpdateError());
        hooks.put("onRecordDelete", app.onRecordDelete());
        hooks.put("onRecordDeleteExecute", app.onRecordDeleteExecute());
        hooks.put("onRecordAfterDeleteSuccess", app.onRecordAfterDeleteSuccess());
        hooks.put("onRecordAfterDeleteError", app.onRecordAfterDeleteError());
        hooks.put("onRecordEnrich", app.onRecordEnrich());
        hooks.put("onCollectionCreate", app.onCollectionCreate());
        hooks.put("onCollectionUpdate", app.onCollectionUpdate());
        hooks.put("onCollectionDelete", app.onCollectionDelete());
        hooks.forEach((hookName, hook) -> bindCounter(hook, hookName, fired));
    }

    private static <E extends io.pocketbus.tools.hook.Event & io.pocketbus.tools.hook.TaggedEvent> void bindCounter(
            io.pocketbus.tools.hook.TaggedHook<?> hook, String hookName, Map<String, Integer> fired) {
        @SuppressWarnings("unchecked")
        io.pocketbus.tools.hook.TaggedHook<E> typed = (io.pocketbus.tools.hook.TaggedHook<E>) hook;
        typed.bindFunc(e -> {
            fired.merge(hookName, 1, Integer::sum);
            e.next();
        });
    }

    static void copyFixture(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(FIXTURE)) {
            for (Path source : files.toList()) {
                Path relative = FIXTURE.relativize(source);
                String fileName = source.getFileName().toString();
                if (relative.startsWith("lost+found") || fileName.endsWith("-wal") || fileName.endsWith("-shm")) {
                    continue;
                }
                Path destination = target.resolve(relative.toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(destination);
                } else {
                    Files.copy(source, destination);
                }
            }
        }
    }
}
