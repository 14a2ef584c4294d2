package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /api/oauth2-redirect}: 307 for GET, 303 for POST, to the success page only when a client got the code. */
class OAuth2RedirectTest {
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @TempDir
    Path tmp;

    private record Delivery(String state, String ip, Map<String, String> message) {
    }

    private static HttpResponse<String> send(HttpServer server, HttpRequest.Builder b) throws Exception {
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void redirectsAndDeliversToTheStateClient() throws Exception {
        List<Delivery> deliveries = new CopyOnWriteArrayList<>();
        OAuth2RedirectTarget target = (app, state, ip, message) -> {
            deliveries.add(new Delivery(state, ip, message));
            return state.equals("known-client");
        };
        Router router = new Router();
        RouterGroup api = router.group("/api");
        ApiHooks hooks = new ApiHooks();
        new RecordAuthOAuth2Api(new RecordAuthResponse(hooks), target, new RecordCrudApi(hooks))
                .bind(api, api.group("/collections/{collection}"), new RateLimits());
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            HttpServer server = HttpServer.builder().app(pb.app).router(router).address("127.0.0.1:0").build();
            server.start();
            try {
                String base = server.baseUrl() + "/api/oauth2-redirect";
                HttpResponse<String> ok = send(server, HttpRequest.newBuilder(URI.create(base
                        + "?state=known-client&code=abc")));
                assertThat(ok.statusCode()).isEqualTo(307);
                assertThat(ok.headers().firstValue("Location")).hasValue("../_/#/auth/oauth2-redirect-success");
                assertThat(deliveries).singleElement().satisfies(d -> {
                    assertThat(d.ip()).isEqualTo("127.0.0.1");
                    assertThat(d.message()).containsExactly(Map.entry("state", "known-client"), Map.entry("code", "abc"));
                });

                HttpResponse<String> post = send(server, HttpRequest.newBuilder(URI.create(base))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("state=known-client&code=xyz")));
                assertThat(post.statusCode()).isEqualTo(303);
                assertThat(post.headers().firstValue("Location")).hasValue("../_/#/auth/oauth2-redirect-success");

                HttpResponse<String> unknown = send(server, HttpRequest.newBuilder(URI.create(base
                        + "?state=other&code=abc")));
                assertThat(unknown.statusCode()).isEqualTo(307);
                assertThat(unknown.headers().firstValue("Location")).hasValue("../_/#/auth/oauth2-redirect-failure");

                HttpResponse<String> error = send(server, HttpRequest.newBuilder(URI.create(base
                        + "?state=known-client&error=access_denied")));
                assertThat(error.headers().firstValue("Location")).hasValue("../_/#/auth/oauth2-redirect-failure");
                assertThat(deliveries.getLast().message()).containsEntry("error", "access_denied");

                HttpResponse<String> noState = send(server, HttpRequest.newBuilder(URI.create(base + "?code=abc")));
                assertThat(noState.headers().firstValue("Location")).hasValue("../_/#/auth/oauth2-redirect-failure");
            } finally {
                server.stop();
            }
        }
    }

    @Test
    void withoutRealtimeEveryRedirectFails() {
        ApiScenario.of("no realtime client").request("GET", "/api/oauth2-redirect?state=a&code=b").status(307)
                .run(tmp);
    }
}
