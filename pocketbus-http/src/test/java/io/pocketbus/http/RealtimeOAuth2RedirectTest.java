package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.http.RealtimeApiTest.Frame;
import io.pocketbus.http.RealtimeApiTest.Sse;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/oauth2-redirect} against a real realtime client: the answer only reaches a client that
 * subscribed to {@code @oauth2} from the address the redirect comes from (the whole 127/8 block is loopback,
 * so a second client bound to 127.0.0.2 plays "another machine"). As in PocketBase, the subscription is
 * dropped after any attempt, a refused one included.
 */
class RealtimeOAuth2RedirectTest {
    private static final HttpClient FROM_127_0_0_1 = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @TempDir
    Path tmp;
    private AuthFlowServer pb;
    private HttpClient from127002;
    private Sse sse;

    @BeforeEach
    void start() throws Exception {
        pb = new AuthFlowServer(tmp);
        from127002 = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .localAddress(InetAddress.getByName("127.0.0.2")).build();
    }

    @AfterEach
    void stop() {
        if (sse != null) {
            sse.close();
        }
        from127002.close();
        pb.close();
    }

    /** Connects a realtime client from 127.0.0.1 and subscribes it to {@code @oauth2}; returns its id. */
    private String oauth2Client() throws Exception {
        sse = Sse.open(pb.baseUrl() + "/api/realtime");
        Frame connect = sse.next();
        assertThat(connect.event()).isEqualTo("PB_CONNECT");
        subscribeOAuth2(connect.id());
        return connect.id();
    }

    private void subscribeOAuth2(String clientId) throws Exception {
        AuthFlowServer.Response r = pb.post("/api/realtime",
                "{\"clientId\":\"" + clientId + "\",\"subscriptions\":[\"@oauth2\"]}");
        assertThat(r.status()).as(r.body()).isEqualTo(204);
    }

    private HttpResponse<String> redirect(HttpClient from, String state, String code) throws Exception {
        return from.send(HttpRequest.newBuilder(URI.create(pb.baseUrl() + "/api/oauth2-redirect?state=" + state
                + "&code=" + code)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private boolean subscribed(String clientId) {
        return Realtime.find(pb.app).orElseThrow().hasSubscription(clientId, "@oauth2");
    }

    @Test
    void theSameAddressGetsTheCode() throws Exception {
        String clientId = oauth2Client();
        HttpResponse<String> r = redirect(FROM_127_0_0_1, clientId, "code-1");
        assertThat(r.statusCode()).isEqualTo(307);
        assertThat(r.headers().firstValue("Location")).hasValue("../_/#/auth/oauth2-redirect-success");
        Frame message = sse.next();
        assertThat(message.event()).isEqualTo("@oauth2");
        assertThat(message.data()).isEqualTo("{\"state\":\"" + clientId + "\",\"code\":\"code-1\"}");
        assertThat(subscribed(clientId)).isFalse();
    }

    @Test
    void aRedirectFromAnotherAddressIsRefusedAndEndsTheFlow() throws Exception {
        String clientId = oauth2Client();
        HttpResponse<String> other = redirect(from127002, clientId, "stolen");
        assertThat(other.statusCode()).isEqualTo(307);
        assertThat(other.headers().firstValue("Location")).hasValue("../_/#/auth/oauth2-redirect-failure");
        assertThat(subscribed(clientId)).isFalse();

        // the refused attempt consumed the subscription: the rightful redirect fails too
        HttpResponse<String> late = redirect(FROM_127_0_0_1, clientId, "late");
        assertThat(late.headers().firstValue("Location")).hasValue("../_/#/auth/oauth2-redirect-failure");

        // and nothing was sent: after subscribing again, the first message is the next answer
        subscribeOAuth2(clientId);
        assertThat(redirect(FROM_127_0_0_1, clientId, "retry").headers().firstValue("Location"))
                .hasValue("../_/#/auth/oauth2-redirect-success");
        Frame message = sse.next();
        assertThat(message.event()).isEqualTo("@oauth2");
        assertThat(message.data()).contains("\"code\":\"retry\"");
    }

    @Test
    void aPostedRedirectFromAnotherAddressIsRefusedToo() throws Exception {
        String clientId = oauth2Client();
        HttpResponse<String> other = from127002.send(HttpRequest.newBuilder(URI.create(pb.baseUrl()
                        + "/api/oauth2-redirect")).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("state=" + clientId + "&code=stolen")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(other.statusCode()).isEqualTo(303);
        assertThat(other.headers().firstValue("Location")).hasValue("../_/#/auth/oauth2-redirect-failure");
        assertThat(subscribed(clientId)).isFalse();
    }
}
