package io.pocketbus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The distribution jar's {@code serve} in its own JVM ({@code -Xms} = {@code -Xmx}, pre-touched heap, the broker
 * off) on a fresh data directory with a superuser, and the JSON-over-HTTP calls the benchmarks make to set it up.
 */
final class PocketbusServe implements AutoCloseable {
    static final String SUPERUSER_EMAIL = "bench@example.com";
    static final String PASSWORD = "benchpassword1";

    private final ServerProcess process;
    private final String base;
    private final HttpClient http = BenchHttp.newClient();
    private final ObjectMapper json = new ObjectMapper();
    private final String superuserToken;

    private PocketbusServe(ServerProcess process, String base) throws IOException, InterruptedException {
        this.process = process;
        this.base = base;
        BenchHttp.awaitHealthy(http, base);
        this.superuserToken = call("POST", "/api/collections/_superusers/auth-with-password", null,
                "{\"identity\":\"" + SUPERUSER_EMAIL + "\",\"password\":\"" + PASSWORD + "\"}").path("token").asText();
    }

    /**
     * Starts {@code java <heap> [extraJvmArgs] -jar jar serve --nats off} with a heap of {@code heap} (e.g.
     * {@code 1g}) for both {@code -Xms} and {@code -Xmx}.
     */
    static PocketbusServe start(Path jar, String heap, List<String> extraJvmArgs) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("pocketbus-bench").resolve("pb_data");
        String java = ServerProcess.javaBinary();
        Process upsert = new ProcessBuilder(java, "-jar", jar.toString(), "superuser", "upsert", SUPERUSER_EMAIL, PASSWORD,
                "--dir", dir.toString()).inheritIO().start();
        if (upsert.waitFor() != 0) {
            throw new IllegalStateException("superuser upsert failed");
        }
        int port = ServerProcess.freePort();
        List<String> serve = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+AlwaysPreTouch"));
        serve.addAll(extraJvmArgs);
        serve.addAll(List.of("-jar", jar.toString(), "serve", "--http", "127.0.0.1:" + port, "--dir", dir.toString(),
                "--nats", "off"));
        ServerProcess process = ServerProcess.command("pocketbus", serve, port);
        try {
            return new PocketbusServe(process, "http://127.0.0.1:" + port);
        } catch (IOException | RuntimeException e) {
            process.close();
            throw e;
        }
    }

    String base() {
        return base;
    }

    HttpClient http() {
        return http;
    }

    String superuserToken() {
        return superuserToken;
    }

    ServerProcess process() {
        return process;
    }

    /** CPU time the server process has used so far, in ms. */
    double cpuMillis() {
        return process.cpuNanos() / 1e6;
    }

    /** One JSON call; a status outside 2xx is an error carrying the answer. */
    JsonNode call(String method, String path, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IOException(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty() ? json.nullNode() : json.readTree(r.body());
    }

    @Override
    public void close() {
        process.close();
    }
}
