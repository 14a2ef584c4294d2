package io.pocketbus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** What the HTTP benchmarks share: an HTTP/1.1 client, waiting for a server's health check, JSON POSTs. */
final class BenchHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BenchHttp() {
    }

    /** HTTP/1.1, as browsers and the SDK talk to PocketBase. */
    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Returns once {@code base}/api/health answers 200; gives up after about a minute. */
    static void awaitHealthy(HttpClient http, String base) throws InterruptedException {
        for (int i = 0; i < 6000; i++) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException(base + " never became healthy");
    }

    /** POSTs a JSON body (with {@code token} as Authorization unless null); anything but 200 fails. */
    static JsonNode post(HttpClient http, String url, String token, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** Runs a command (e.g. {@code superuser upsert}) to completion; a non-zero exit fails. */
    static void exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).inheritIO().start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException("failed: " + command);
        }
    }
}
