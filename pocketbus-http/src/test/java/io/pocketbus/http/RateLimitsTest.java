package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pocketbus.core.App;
import io.pocketbus.core.Settings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimitsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    private static Settings rules(String rulesJson) {
        Settings s = Settings.defaults();
        try {
            s.merge(MAPPER.readTree("{\"rateLimits\":{\"enabled\":true,\"rules\":" + rulesJson + "}}"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return s;
    }

    private static void enable(App app, String rulesJson) {
        app.saveSettings(rules(rulesJson));
    }

    @Test
    void ruleLookupFollowsLabelOrderExactThenPrefix() {
        Settings s = rules("[{\"label\":\"/api/\",\"audience\":\"\",\"duration\":10,\"maxRequests\":300},"
                + "{\"label\":\"*:auth\",\"audience\":\"\",\"duration\":3,\"maxRequests\":2},"
                + "{\"label\":\"users:auth\",\"audience\":\"@auth\",\"duration\":3,\"maxRequests\":1}]");
        List<String> guest = List.of("", "@guest");
        assertThat(RateLimits.findRule(s, List.of("users:auth", "*:auth", "POST /api/x", "/api/x"), guest))
                .get().extracting(RateLimits.Rule::label).isEqualTo("*:auth");
        assertThat(RateLimits.findRule(s, List.of("users:auth", "*:auth"), List.of("", "@auth")))
                .get().extracting(RateLimits.Rule::label).isEqualTo("users:auth");
        assertThat(RateLimits.findRule(s, List.of("GET /api/health", "/api/health"), guest))
                .get().extracting(RateLimits.Rule::label).isEqualTo("/api/");
        assertThat(RateLimits.findRule(s, List.of("GET /other", "/other"), guest)).isEmpty();
    }

    @Test
    void authRuleLimitsPasswordLoginsPerIp() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            enable(pb.app, "[{\"label\":\"*:auth\",\"audience\":\"\",\"duration\":3600,\"maxRequests\":2}]");
            String wrong = "{\"identity\":\"test@example.com\",\"password\":\"wrong-pass\"}";
            assertThat(pb.post("/api/collections/users/auth-with-password", wrong).status()).isEqualTo(400);
            assertThat(pb.post("/api/collections/users/auth-with-password", wrong).status()).isEqualTo(400);
            AuthFlowServer.Response limited = pb.post("/api/collections/users/auth-with-password", wrong);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.body().strip()).isEqualTo("{\"data\":{},\"message\":\"Too Many Requests.\",\"status\":429}");
            // other endpoints are not under that rule
            assertThat(pb.get("/api/collections/users/auth-methods").status()).isEqualTo(200);
            // superusers are never limited
            assertThat(pb.post("/api/collections/users/auth-with-password", wrong,
                    "Authorization", pb.tokenOf("_superusers", "test@example.com")).status()).isEqualTo(400);
        }
    }

    @Test
    void pathRulesAudiencesAndExcludedIps() {
        try (AuthFlowServer pb = new AuthFlowServer(tmp)) {
            enable(pb.app, "[{\"label\":\"GET /api/health\",\"audience\":\"@guest\",\"duration\":3600,\"maxRequests\":1}]");
            assertThat(pb.get("/api/health").status()).isEqualTo(200);
            assertThat(pb.get("/api/health").status()).isEqualTo(429);
            // the rule is for guests only
            assertThat(pb.get("/api/health", "Authorization", pb.tokenOf("users", "test@example.com")).status())
                    .isEqualTo(200);
            Settings s = pb.app.settings();
            s.merge(MAPPER.createObjectNode().set("rateLimits",
                    MAPPER.createObjectNode().set("excludedIPs", MAPPER.createArrayNode().add("127.0.0.0/8"))));
            pb.app.saveSettings(s);
            assertThat(pb.get("/api/health").status()).isEqualTo(200);
        }
    }
}
