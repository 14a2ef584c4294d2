package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.db.sqlite.SqliteDialect;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input sweep: for every endpoint, malformed JSON, wrong field types, unknown collections and fields,
 * invalid filters and sorts (SQL injection attempts among them), bad query parameters, invalid ids and oversized
 * bodies get PocketBase's status and error body, and every table of data.db is byte-for-byte the same after the
 * request as before it. One fixture copy serves every case, which holds because no case may change it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();
    private static final String JSON = "application/json";
    private static final String GENERIC_400 = "{\"data\":{},\"message\":\"Something went wrong while processing your "
            + "request.\",\"status\":400}";

    private App app;
    private HttpServer server;
    private String superuserToken;
    private String userToken;

    /** One request and what PocketBase answers; {@code auth} is "", "su" or "user". */
    record Case(String name, String auth, String method, String url, String contentType, String body, int status,
                List<String> fragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, String auth, String method, String url, String body, int status,
                          String... fragments) {
        return new Case(name, auth, method, url, body == null ? null : JSON, body, status, List.of(fragments));
    }

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static Stream<Case> cases() {
        String records = "/api/collections/demo2/records";
        String demo1 = "/api/collections/demo1/records";
        String demo1Id = "/api/collections/demo1/records/84nmscqy84lsi1t";
        String failedCreate = "\"message\":\"Failed to create record.\",\"status\":400}";
        String failedUpdate = "\"message\":\"Failed to update record.\",\"status\":400}";
        List<Case> list = new ArrayList<>(List.of(
                // malformed JSON bodies
                c("create: malformed json", "", "POST", records, "{\"title\":", 400,
                        "\"message\":\"Failed to read the submitted data.\""),
                c("create: json array body", "", "POST", records, "[1,2]", 400,
                        "\"message\":\"Failed to read the submitted data.\""),
                c("update: malformed json", "su", "PATCH", demo1Id, "{\"text\"", 400,
                        "\"message\":\"Failed to read the submitted data.\""),
                c("collections create: malformed json", "su", "POST", "/api/collections", "{", 400,
                        "Failed to load the submitted data due to invalid formatting."),
                c("collections update: malformed json", "su", "PATCH", "/api/collections/demo2", "{", 400,
                        "Failed to load the submitted data due to invalid formatting."),
                c("collections import: malformed json", "su", "PUT", "/api/collections/import", "{", 400),
                c("settings: malformed json", "su", "PATCH", "/api/settings", "{", 400),
                c("batch: malformed json", "", "POST", "/api/batch", "{\"requests\":", 400),
                c("auth-with-password: malformed json", "", "POST",
                        "/api/collections/users/auth-with-password", "{", 400),
                c("sql: malformed json", "su", "POST", "/api/sql", "{", 400),
                // wrong field types and values
                c("create: invalid email", "su", "POST", demo1, "{\"email\":\"not-an-email\"}", 400,
                        "\"email\":{\"code\":\"validation_is_email\"", failedCreate),
                c("create: invalid url", "su", "POST", demo1, "{\"url\":\"not a url\"}", 400,
                        "\"url\":{\"code\":\"validation_invalid_url\"", failedCreate),
                c("create: unknown select value", "su", "POST", demo1, "{\"select_one\":\"zzz\"}", 400,
                        "\"select_one\":{\"code\":\"validation_invalid_value\"", failedCreate),
                c("create: missing relation", "su", "POST", demo1, "{\"rel_one\":\"missing00000000\"}", 400,
                        "\"rel_one\":{\"code\":\"validation_missing_rel_records\"", failedCreate),
                c("create: longitude out of range", "su", "POST", demo1, "{\"point\":{\"lon\":500,\"lat\":0}}", 400,
                        "\"point\":{\"code\":\"validation_invalid_longitude\"", failedCreate),
                c("create: invalid id", "su", "POST", demo1, "{\"id\":\"BAD_ID_________\"}", 400,
                        "\"id\":{\"code\":\"validation_invalid_format\"", failedCreate),
                c("create: id with a quote", "su", "POST", demo1, "{\"id\":\"a'b\\\"c;--1234567\"}", 400,
                        "\"id\":{\"code\":", failedCreate),
                c("create: required title missing", "", "POST", records, "{\"title\":\"\"}", 400,
                        "\"title\":{\"code\":\"validation_required\"", failedCreate),
                c("update: invalid email", "su", "PATCH", demo1Id, "{\"email\":\"x@\"}", 400,
                        "\"email\":{\"code\":\"validation_is_email\"", failedUpdate),
                c("update: too many select values", "su", "PATCH", demo1Id,
                        "{\"select_many\":[\"optionA\",\"optionB\",\"optionC\",\"optionD\"]}", 400, failedUpdate),
                c("collections create: invalid name", "su", "POST", "/api/collections",
                        "{\"name\":\"bad name!\",\"type\":\"base\"}", 400, "Failed to create collection.",
                        "\"name\":{\"code\":"),
                c("collections create: fields not a list", "su", "POST", "/api/collections",
                        "{\"name\":\"x1\",\"fields\":\"nope\"}", 400,
                        "Failed to load the submitted data due to invalid formatting."),
                c("collections create: name not a string", "su", "POST", "/api/collections", "{\"name\":1}", 400,
                        "Failed to load the submitted data due to invalid formatting."),
                c("collections update: rule not a string", "su", "PATCH", "/api/collections/demo2",
                        "{\"listRule\":false}", 400, "Failed to load the submitted data due to invalid formatting."),
                c("collections create: rule with unknown field", "su", "POST", "/api/collections",
                        "{\"name\":\"x2\",\"listRule\":\"missing_field = 1\"}", 400,
                        "\"listRule\":{\"code\":\"validation_invalid_rule\""),
                c("collections create: injection in the name", "su", "POST", "/api/collections",
                        "{\"name\":\"x; DROP TABLE demo2; --\"}", 400, "Failed to create collection."),
                c("collections update: rename onto an existing one", "su", "PATCH", "/api/collections/demo2",
                        "{\"name\":\"demo1\"}", 400, "\"name\":{\"code\":\"validation_collection_name_exists\""),
                c("settings: wrong type", "su", "PATCH", "/api/settings", "{\"meta\":{\"appName\":\"\"}}", 400,
                        "An error occurred while submitting the form."),
                c("batch: requests not a list", "", "POST", "/api/batch", "{\"requests\":\"x\"}", 400,
                        "\"requests\":{\"code\":\"validation_required\""),
                c("batch: unknown collection rolls back the others", "", "POST", "/api/batch",
                        "{\"requests\":[{\"method\":\"POST\",\"url\":\"" + records + "\",\"body\":{\"title\":\"b1\"}},"
                                + "{\"method\":\"POST\",\"url\":\"/api/collections/missing/records\",\"body\":{}}]}",
                        400, "\"1\":{\"code\":\"batch_request_failed\"", "Batch transaction failed."),
                // unknown collections
                c("list: unknown collection", "", "GET", "/api/collections/missing/records", null, 404,
                        "\"message\":\"Missing collection context.\""),
                c("create: unknown collection", "", "POST", "/api/collections/missing/records", "{}", 404,
                        "\"message\":\"Missing or invalid collection context.\""),
                c("delete: unknown collection", "", "DELETE", "/api/collections/missing/records/84nmscqy84lsi1t",
                        null, 404, "\"message\":\"Missing collection context.\""),
                c("collections view: unknown", "su", "GET", "/api/collections/missing", null, 404),
                c("collections delete: unknown", "su", "DELETE", "/api/collections/missing", null, 404),
                c("collections truncate: unknown", "su", "DELETE", "/api/collections/missing/truncate", null, 404),
                c("collections truncate: view", "su", "DELETE", "/api/collections/view1/truncate", null, 400),
                c("create: view collection", "", "POST", "/api/collections/view1/records", "{}", 400),
                // invalid ids
                c("view: unknown id", "", "GET", records + "/missing00000000", null, 404,
                        "\"message\":\"The requested resource wasn't found.\""),
                c("view: injection id", "", "GET", records + "/" + q("' OR '1'='1"), null, 404),
                c("update: unknown id", "", "PATCH", records + "/missing00000000", "{\"title\":\"x\"}", 404),
                c("delete: unknown id", "", "DELETE", records + "/" + q("x' OR 1=1 --"), null, 404),
                c("delete: dot-dot id", "", "DELETE", records + "/..%2F..%2Fdemo1", null, 404),
                c("logs view: unknown id", "su", "GET", "/api/logs/" + q("' OR 1=1"), null, 404),
                c("crons run: unknown id", "su", "POST", "/api/crons/" + q("../x"), null, 404),
                // invalid filters and sorts, injection attempts among them
                c("list: filter syntax error", "", "GET", records + "?filter=" + q("title ="), null, 400, GENERIC_400),
                c("list: filter unknown field", "", "GET", records + "?filter=" + q("missing = 1"), null, 400,
                        GENERIC_400),
                c("list: filter OR 1=1 injection", "", "GET", records + "?filter=" + q("title='x' OR 1=1 --"), null,
                        400, GENERIC_400),
                c("list: filter stacked statement", "", "GET",
                        records + "?filter=" + q("title='x'; DROP TABLE demo2"), null, 400, GENERIC_400),
                c("list: filter UNION", "", "GET",
                        records + "?filter=" + q("title='x' UNION SELECT * FROM _superusers"), null, 400,
                        GENERIC_400),
                c("list: filter quote in a string is a value", "", "GET",
                        records + "?filter=" + q("title=\"x'; DROP TABLE demo2; --\""), null, 200,
                        "\"items\":[]", "\"totalItems\":0"),
                c("list: filter subquery", "", "GET", records + "?filter=" + q("(SELECT 1) = 1"), null, 400,
                        GENERIC_400),
                c("list: sort unknown field", "", "GET", records + "?sort=missing", null, 400, GENERIC_400),
                c("list: sort injection", "", "GET", records + "?sort=" + q("title;DROP TABLE demo2"), null, 400,
                        GENERIC_400),
                c("list: sort subquery", "", "GET", records + "?sort=" + q("(SELECT password FROM _superusers)"),
                        null, 400, GENERIC_400),
                c("list: guest @collection filter", "", "GET",
                        records + "?filter=" + q("@collection.users.email != ''"), null, 403,
                        "Only superusers can filter by @collection."),
                c("list: hidden field filter", "", "GET",
                        "/api/collections/nologin/records?filter=" + q("password != ''"), null, 400),
                c("list: guest @request filter", "", "GET", records + "?filter=" + q("@request.method = 'GET'"),
                        null, 403, "Only superusers can filter by @request."),
                c("collections list: unknown filter field", "su", "GET",
                        "/api/collections?filter=" + q("fields = 'x'"), null, 400),
                c("collections list: sort injection", "su", "GET", "/api/collections?sort=" + q("name;DROP"), null,
                        400),
                c("logs list: invalid filter", "su", "GET", "/api/logs?filter=" + q("bogus("), null, 400),
                c("logs stats: invalid filter", "su", "GET", "/api/logs/stats?filter=" + q("x ="), null, 400),
                // bad query parameters
                c("list: page=abc", "", "GET", records + "?page=abc", null, 400, GENERIC_400),
                c("list: perPage=abc", "", "GET", records + "?perPage=abc", null, 400, GENERIC_400),
                c("list: skipTotal=maybe", "", "GET", records + "?skipTotal=maybe", null, 400, GENERIC_400),
                c("list: perPage=-1 falls back to 30", "", "GET", records + "?perPage=-1", null, 200,
                        "\"page\":1,\"perPage\":30,"),
                c("list: page=0 falls back to 1", "", "GET", records + "?page=0&perPage=5000", null, 200,
                        "\"page\":1,\"perPage\":1000,"),
                c("collections list: page=abc", "su", "GET", "/api/collections?page=abc", null, 400),
                c("logs list: skipTotal=maybe", "su", "GET", "/api/logs?skipTotal=maybe", null, 400),
                // auth and permissions on write endpoints
                c("collections create: guest", "", "POST", "/api/collections", "{\"name\":\"x3\"}", 401),
                c("collections delete: user", "user", "DELETE", "/api/collections/demo2", null, 403),
                c("sql: user", "user", "POST", "/api/sql", "{\"query\":\"DELETE FROM demo2\"}", 403),
                c("sql: invalid statement", "su", "POST", "/api/sql", "{\"query\":\"DELETE FROM nowhere\"}", 400,
                        "Failed to execute query.")));
        return list.stream();
    }

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        Path data = Files.createTempDirectory(tmp, "pb_data");
        ApiScenario.copyFixture(data);
        app = App.builder().dataDir(data).dialect(SqliteDialect.create()).build();
        app.setRuleValidator(io.pocketbus.core.RuleCheck::validate);
        app.bootstrap();
        Router router = new Router();
        Apis.bind(router, List.of("*"), new ApiHooks());
        server = HttpServer.builder().app(app).router(router).address("127.0.0.1:0").build();
        server.start();
        superuserToken = token("_superusers", "test@example.com");
        userToken = token("users", "test@example.com");
    }

    private String token(String collection, String email) {
        Collection c = app.findCollectionByNameOrId(collection).orElseThrow();
        return app.newAuthToken(app.findRecordsByField(c, "email", email).getFirst());
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
        app.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputChangesNothing(Case tc) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.baseUrl() + tc.url()));
        request.method(tc.method(), tc.body() == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(tc.body()));
        if (tc.contentType() != null) {
            request.header("Content-Type", tc.contentType());
        }
        send(tc, request);
    }

    @Test
    void oversizedBodiesAre413() throws Exception {
        // With "Expect: 100-continue", as clients send large uploads: the 413 comes before the body is sent.
        // Without it, a server that answers early and closes can have its answer lost to the client's
        // still-arriving body (a TCP reset), whatever the server.
        String big = "{\"title\":\"" + "x".repeat(33 << 20) + "\"}";
        send(new Case("oversized record body", "", "POST", "/api/collections/demo2/records", JSON, big, 413,
                List.of("{\"data\":{},\"message\":\"Request entity too large.\",\"status\":413}")),
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/collections/demo2/records")).expectContinue(true)
                        .header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofString(big)));
        String bigCollection = "{\"name\":\"huge\",\"viewQuery\":\"" + "x".repeat(33 << 20) + "\"}";
        send(new Case("oversized collection body", "su", "POST", "/api/collections", JSON, bigCollection, 413,
                List.of("Request entity too large.")),
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/collections")).expectContinue(true)
                        .header("Content-Type", JSON).POST(HttpRequest.BodyPublishers.ofString(bigCollection)));
    }

    private void send(Case tc, HttpRequest.Builder request) throws Exception {
        if (tc.auth().equals("su")) {
            request.header("Authorization", superuserToken);
        } else if (tc.auth().equals("user")) {
            request.header("Authorization", userToken);
        }
        Map<String, String> before = snapshot();
        HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s: status (body %s)", tc.name(), response.body())
                .isEqualTo(tc.status());
        for (String fragment : tc.fragments()) {
            assertThat(response.body()).as("%s: body", tc.name()).contains(fragment);
        }
        if (tc.status() >= 400) {
            assertThat(response.body()).as("%s: error shape", tc.name())
                    .startsWith("{\"data\":{").contains("\"status\":" + tc.status() + "}");
        }
        assertThat(snapshot()).as("%s: data.db unchanged", tc.name()).isEqualTo(before);
        assertThat(app.collections()).as("%s: collections unchanged", tc.name()).extracting(Collection::name)
                .containsExactlyInAnyOrderElementsOf(before.keySet().stream().filter(k -> k.startsWith("col:"))
                        .map(k -> k.substring(4)).toList());
    }

    /** Every table of data.db, row by row, plus the loaded collection names (keys {@code col:<name>}). */
    private Map<String, String> snapshot() {
        Map<String, String> tables = new LinkedHashMap<>();
        for (String table : app.db().query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                List.of(), rs -> rs.getString(1))) {
            StringBuilder rows = new StringBuilder();
            app.db().query("SELECT * FROM \"" + table.replace("\"", "\"\"") + "\" ORDER BY rowid", List.of(), rs -> {
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    rows.append(rs.getString(i)).append('\u0001');
                }
                rows.append('\n');
                return null;
            });
            tables.put(table, rows.toString());
        }
        for (Collection c : app.collections()) {
            tables.put("col:" + c.name(), c.toMap().toString());
        }
        return tables;
    }
}
