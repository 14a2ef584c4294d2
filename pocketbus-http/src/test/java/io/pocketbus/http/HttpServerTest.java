package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.ValidationError;
import io.pocketbus.tools.hook.Handler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpServerTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private HttpServer start(Router router) {
        server = HttpServer.builder().address("127.0.0.1:0").router(router).build();
        server.start();
        return server;
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void routesPathParametersAndTheMostSpecificPattern() throws Exception {
        Router router = new Router();
        RouterGroup api = router.group("/api");
        api.get("/collections/{collection}", e -> e.string(200, "view " + e.pathParam("collection")));
        api.get("/collections/meta/scaffolds", e -> e.string(200, "scaffolds"));
        api.get("/collections/{collection}/records/{id}",
                e -> e.string(200, e.pathParam("collection") + "/" + e.pathParam("id")));
        api.get("/files/{path...}", e -> e.string(200, "file " + e.pathParam("path")));
        start(router);

        assertThat(send("GET", "/api/collections/posts", null).body()).isEqualTo("view posts");
        assertThat(send("GET", "/api/collections/meta/scaffolds", null).body()).isEqualTo("scaffolds");
        assertThat(send("GET", "/api/collections/a%20b/records/x%2Fy", null).body()).isEqualTo("a b/x/y");
        assertThat(send("GET", "/api/files/a/b/c.txt", null).body()).isEqualTo("file a/b/c.txt");
        assertThat(send("HEAD", "/api/collections/posts", null).statusCode()).isEqualTo(200);
    }

    @Test
    void writesJsonAsGoDoes() throws Exception {
        Router router = new Router();
        router.get("/html", e -> e.json(200, Map.of("body", "<p>a & b</p>\u2028", "n", 2.0, "f", 0.5)));
        start(router);
        String body = send("GET", "/html", null).body();
        assertThat(body).contains("\"body\":\"\\u003cp\\u003ea \\u0026 b\\u003c/p\\u003e\\u2028\"")
                .contains("\"n\":2").contains("\"f\":0.5").endsWith("}\n");
    }

    @Test
    void handlersRunOnVirtualThreads() throws Exception {
        Router router = new Router();
        router.get("/thread", e -> e.string(200, String.valueOf(Thread.currentThread().isVirtual())));
        start(router);
        assertThat(send("GET", "/thread", null).body()).isEqualTo("true");
    }

    @Test
    void unknownRoutesAndMethodsGiveThePocketBaseNotFoundError() throws Exception {
        Router router = new Router();
        router.get("/api/health", e -> e.string(200, "ok"));
        start(router);

        for (var response : List.of(send("GET", "/api/missing", null), send("DELETE", "/api/health", null))) {
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body())
                    .isEqualTo("{\"data\":{},\"message\":\"The requested resource wasn't found.\",\"status\":404}" + "\n");
        }
    }

    @Test
    void apiErrorsAndUnexpectedFailuresBecomeErrorJson() throws Exception {
        Router router = new Router();
        router.post("/invalid", e -> {
            throw ApiError.badRequest("Failed to create record.",
                    Map.of("title", ValidationError.required()));
        });
        router.get("/boom", e -> {
            throw new IllegalStateException("secret internal detail");
        });
        start(router);

        HttpResponse<String> invalid = send("POST", "/invalid", "{}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(invalid.body()).isEqualTo("{\"data\":{\"title\":{\"code\":\"validation_required\","
                + "\"message\":\"Cannot be blank.\"}},\"message\":\"Failed to create record.\",\"status\":400}" + "\n");

        HttpResponse<String> boom = send("GET", "/boom", null);
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body()).isEqualTo("{\"data\":{},\"message\":"
                + "\"Something went wrong while processing your request.\",\"status\":500}" + "\n");
    }

    @Test
    void middlewaresRunByPriorityAndCanBeUnbound() throws Exception {
        List<String> calls = new CopyOnWriteArrayList<>();
        Router router = new Router();
        router.bind(Handler.of("late", 10, e -> {
            calls.add("root-late");
            e.next();
        }));
        router.bind(Handler.of("early", -10, e -> {
            calls.add("root-early");
            e.next();
        }));
        RouterGroup group = router.group("/g");
        group.bind(Handler.of("group", 0, e -> {
            calls.add("group");
            e.next();
        }));
        group.get("/all", e -> {
            calls.add("action");
            e.noContent(204);
        });
        group.get("/some", e -> {
            calls.add("action");
            e.noContent(204);
        }).unbind("late");
        router.get("/stop", e -> calls.add("never")).bind(Handler.of("guard", e -> {
            throw ApiError.forbidden("");
        }));
        start(router);

        assertThat(send("GET", "/g/all", null).statusCode()).isEqualTo(204);
        assertThat(calls).containsExactly("root-early", "group", "root-late", "action");
        calls.clear();
        send("GET", "/g/some", null);
        assertThat(calls).containsExactly("root-early", "group", "action");
        calls.clear();
        HttpResponse<String> stopped = send("GET", "/stop", null);
        assertThat(stopped.statusCode()).isEqualTo(403);
        assertThat(stopped.body()).contains("\"message\":\"You are not allowed to perform this request.\"");
        assertThat(calls).containsExactly("root-early");
    }

    @Test
    void rootMiddlewaresRunForUnmatchedRequests() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        Router router = new Router();
        router.bindFunc(e -> {
            seen.add(e.method() + " " + e.path());
            e.next();
        });
        start(router);
        assertThat(send("GET", "/nothing/here", null).statusCode()).isEqualTo(404);
        assertThat(seen).containsExactly("GET /nothing/here");
    }

    @Test
    void readsJsonUrlencodedAndMultipartBodies() throws Exception {
        Router router = new Router();
        router.post("/echo", e -> {
            Map<String, Object> out = new LinkedHashMap<>(e.bindBody());
            List<String> files = new ArrayList<>();
            e.uploadedFiles().forEach(f -> files.add(f.field() + ":" + f.filename() + ":" + f.size()));
            out.put("_files", files);
            out.put("_query", e.queryParam("q").orElse(""));
            e.json(200, out);
        });
        start(router);

        assertThat(send("POST", "/echo?q=a+b", "{\"title\":\"x\",\"n\":1.5,\"tags\":[\"a\"]}",
                "Content-Type", "application/json").body())
                .isEqualTo("{\"title\":\"x\",\"n\":1.5,\"tags\":[\"a\"],\"_files\":[],\"_query\":\"a b\"}" + "\n");

        assertThat(send("POST", "/echo", "a=1&b=true&c=hello+world&a=2&d=01",
                "Content-Type", "application/x-www-form-urlencoded").body())
                .isEqualTo("{\"a\":[1,2],\"b\":true,\"c\":\"hello world\",\"d\":\"01\",\"_files\":[],\"_query\":\"\"}" + "\n");

        String boundary = "XyZ123";
        String multipart = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"title\"\r\n\r\nhello\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"count\"\r\n\r\n42\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"@jsonPayload\"\r\n\r\n{\"meta\":{\"a\":[1,2]},\"raw\":\"42\"}\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"doc\"; filename=\"a.txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nfile-body\r\n"
                + "--" + boundary + "--\r\n";
        assertThat(send("POST", "/echo", multipart, "Content-Type", "multipart/form-data; boundary=" + boundary)
                .body()).isEqualTo("{\"title\":\"hello\",\"count\":42,\"meta\":{\"a\":[1,2]},\"raw\":\"42\","
                + "\"_files\":[\"doc:a.txt:9\"],\"_query\":\"\"}" + "\n");

        HttpResponse<String> malformed = send("POST", "/echo", "{not json", "Content-Type", "application/json");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"message\":\"Failed to read the submitted data.\"");
    }

    @Test
    void bodyLimitRefusesOversizedBodies() throws Exception {
        Router router = new Router();
        router.bind(BodyLimit.of(16));
        router.post("/small", e -> e.string(200, new String(e.bodyBytes(), StandardCharsets.UTF_8)));
        router.post("/big", e -> e.string(200, String.valueOf(e.bodyBytes().length))).bind(BodyLimit.of(0));
        start(router);

        assertThat(send("POST", "/small", "0123456789").body()).isEqualTo("0123456789");
        HttpResponse<String> tooLarge = send("POST", "/small", "x".repeat(17));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.body())
                .isEqualTo("{\"data\":{},\"message\":\"Request entity too large.\",\"status\":413}" + "\n");
        assertThat(send("POST", "/big", "x".repeat(1000)).body()).isEqualTo("1000");

        // a body streamed without a declared length is cut while reading
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/small"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream("y".repeat(100).getBytes(StandardCharsets.UTF_8))))
                .build();
        assertThat(client.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(413);
    }

    @Test
    void corsAllowsEveryOriginAndAnswersPreflights() throws Exception {
        Router router = new Router();
        router.bind(Cors.allowAll());
        router.get("/api/x", e -> e.string(200, "x"));
        start(router);

        HttpResponse<String> simple = send("GET", "/api/x", null, "Origin", "http://example.com");
        assertThat(simple.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");

        HttpResponse<String> preflight = send("OPTIONS", "/api/anything", null, "Origin", "http://example.com",
                "Access-Control-Request-Method", "PATCH", "Access-Control-Request-Headers", "authorization");
        assertThat(preflight.statusCode()).isEqualTo(204);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods"))
                .hasValue("GET,HEAD,PUT,PATCH,POST,DELETE");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers")).hasValue("authorization");
    }

    @Test
    void corsWithAnOriginListRefusesOthers() throws Exception {
        Router router = new Router();
        router.bind(Cors.of(List.of("https://*.example.com")));
        router.get("/x", e -> e.string(200, "x"));
        start(router);
        assertThat(send("GET", "/x", null, "Origin", "https://app.example.com").headers()
                .firstValue("Access-Control-Allow-Origin")).hasValue("https://app.example.com");
        assertThat(send("GET", "/x", null, "Origin", "https://evil.org").headers()
                .firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void gzipsForClientsThatAcceptIt() throws Exception {
        Router router = new Router();
        String big = "pocketbus ".repeat(500);
        router.get("/big", e -> e.json(200, Map.of("text", big)));
        start(router);

        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl() + "/big"))
                .header("Accept-Encoding", "gzip").build();
        HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"text\":\"" + big + "\"}" + "\n");
        }
    }

    @Test
    void fieldsPickerAppliesToSuccessfulJsonOnly() throws Exception {
        Router router = new Router();
        router.get("/one", e -> e.json(200, Map.of("id", "a", "title", "<p>Hello <b>world</b></p>", "n", 3.0)));
        router.get("/list", e -> e.json(200, new ListPage(
                List.of(Map.of("id", "a", "title", "t1"), Map.of("id", "b", "title", "t2")), 1, 30, 2, 1)));
        router.get("/fail", e -> {
            throw ApiError.badRequest("Nope.");
        });
        start(router);

        assertThat(send("GET", "/one", null).body()).contains("\"n\":3");
        assertThat(send("GET", "/one?fields=title:excerpt(7,true),n", null).body())
                .isEqualTo("{\"n\":3,\"title\":\"Hello w...\"}" + "\n");
        assertThat(send("GET", "/list?fields=id", null).body())
                .isEqualTo("{\"items\":[{\"id\":\"a\"},{\"id\":\"b\"}],\"page\":1,\"perPage\":30,"
                        + "\"totalItems\":2,\"totalPages\":1}" + "\n");
        assertThat(send("GET", "/fail?fields=id", null).body()).contains("\"message\":\"Nope.\"");
        assertThat(send("GET", "/one?fields=title:unknown(1)", null).statusCode()).isEqualTo(400);
    }

    @Test
    void onServeAddsRoutesBeforeTheServerListens() throws Exception {
        server = HttpServer.builder().address("127.0.0.1:0").build();
        server.onServe().bindFunc(e -> {
            e.router().get("/custom", ev -> ev.string(200, "custom"));
            e.next();
        });
        server.start();
        assertThat(send("GET", "/custom", null).body()).isEqualTo("custom");
    }

    @Test
    void stopLetsInFlightRequestsFinish() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Router router = new Router();
        router.get("/slow", e -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            e.string(200, "done");
        });
        server = HttpServer.builder().address("127.0.0.1:0").router(router).gracePeriod(Duration.ofSeconds(30))
                .build();
        server.start();
        String url = server.baseUrl();
        CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(
                HttpRequest.newBuilder(URI.create(url + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::stop);
        release.countDown();
        stopping.get(30, TimeUnit.SECONDS);
        assertThat(inFlight.get(30, TimeUnit.SECONDS).body()).isEqualTo("done");
        assertThat(server.isRunning()).isFalse();
    }

    @Test
    void streamsResponsesInParts() throws Exception {
        Router router = new Router();
        router.get("/events", e -> {
            try {
                OutputStream out = e.stream(200, "text/event-stream");
                out.write("data:one\n\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                out.write("data:two\n\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        });
        start(router);
        HttpResponse<String> response = send("GET", "/events", null);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(response.body()).isEqualTo("data:one\n\ndata:two\n\n");
    }

    @Test
    void aResponseSentBeforeTheBodyArrivedKeepsTheConnectionForTheNextRequest() throws Exception {
        Router router = new Router();
        router.get("/api/health", e -> e.string(200, "ok"));
        start(router);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // the body is sent only after the answer, as a client whose body write lags behind would
            out.write(("POST /api/missing HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 2\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String notFound = readResponse(in);
            assertThat(notFound).startsWith("HTTP/1.1 404").doesNotContainIgnoringCase("connection: close");

            out.write("{}GET /api/health HTTP/1.1\r\nHost: test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 200").endsWith("ok");
        }
    }

    @Test
    void aLargeUnreadBodyIsAnnouncedAsTheLastRequestOfTheConnection() throws Exception {
        start(new Router());
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/missing HTTP/1.1\r\nHost: test\r\nContent-Length: "
                    + (JettyExchange.DRAIN_LIMIT + 1) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(readResponse(in)).startsWith("HTTP/1.1 404").containsIgnoringCase("connection: close");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    /** Reads one response with a Content-Length body: the head and the body as one string. */
    private static String readResponse(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the connection closed after: " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
