package io.pocketbus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PocketbusTest {
    private final HttpClient client = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void startsOnAnEmptyDataDirServesTheApiAndStops() throws Exception {
        Path data = dir.resolve("pb_data");
        Pocketbus pocketbus = Pocketbus.builder().dataDir(data).http("127.0.0.1:0").build();
        pocketbus.onServe().bindFunc(e -> {
            e.router().get("/hello/{name}", r -> r.string(200, "hello " + r.pathParam("name")));
            e.next();
        });
        pocketbus.start();
        String url = pocketbus.url();
        try {
            assertThat(get(url + "/api/health").body())
                    .isEqualTo("{\"message\":\"API is healthy.\",\"code\":200,\"data\":{}}" + "\n");
            assertThat(get(url + "/hello/you").body()).isEqualTo("hello you");
            assertThat(Files.exists(data.resolve("data.db"))).isTrue();
            assertThat(Files.exists(data.resolve("auxiliary.db"))).isTrue();
        } finally {
            pocketbus.stop();
        }
        assertThatThrownBy(() -> get(url + "/api/health")).isInstanceOf(ConnectException.class);
    }

    @Test
    void serveReportsAnAddressInUse() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            StringWriter err = new StringWriter();
            int exit = PocketbusCli.commandLine().setErr(new PrintWriter(err, true)).execute("serve",
                    "--http", "127.0.0.1:" + taken.getLocalPort(), "--nats", "127.0.0.1:0", "--dir", dir.resolve("pb_data").toString());
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString()).contains("Error: cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void printsTheVersionAndHelp() {
        StringWriter out = new StringWriter();
        CommandLine cli = PocketbusCli.commandLine().setOut(new PrintWriter(out));
        assertThat(cli.execute("--version")).isZero();
        assertThat(out.toString().trim()).isEqualTo("pocketbus " + VersionProvider.version());
        assertThat(VersionProvider.version()).doesNotContain("${");

        out.getBuffer().setLength(0);
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("serve", "superuser");

        out.getBuffer().setLength(0);
        assertThat(cli.execute("serve", "--help")).isZero();
        assertThat(out.toString()).contains("--http=HOST:PORT", "--dir=DIR", "--dev");
    }
}
