package io.pocketbus.tools.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OAuth2ProvidersTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void s256ChallengeIsUnpaddedBase64UrlOfSha256() {
        // expected value from Python's hashlib + base64.urlsafe_b64encode, padding stripped
        assertThat(OAuth2Provider.s256Challenge("dBjftJeZ4CVP-mJ92K1qm8yvHY5ubZmuCeQAHn7KiOs"))
                .isEqualTo("sI2XsASfxhQdhP53fa3200WxNZG1iK11OkGWLUOILFE");
    }

    @Test
    void namedProvidersHaveTheirEndpointsAndConfigOverrides() {
        ObjectNode google = MAPPER.createObjectNode().put("name", "google").put("clientId", "cid")
                .put("clientSecret", "secret");
        OAuth2Provider p = OAuth2Providers.of(google).orElseThrow();
        assertThat(p.displayName()).isEqualTo("Google");
        assertThat(p.pkce()).isTrue();
        assertThat(p.authUrl("st", Optional.of("ch"))).startsWith("https://accounts.google.com/o/oauth2/v2/auth?")
                .contains("client_id=cid", "response_type=code", "state=st", "code_challenge=ch",
                        "code_challenge_method=S256")
                .doesNotContain("secret", "redirect_uri");

        ObjectNode oidc = MAPPER.createObjectNode().put("name", "oidc").put("clientId", "c")
                .put("authURL", "https://id.example/auth?tenant=1").put("tokenURL", "https://id.example/token")
                .put("userInfoURL", "https://id.example/userinfo").put("pkce", false).put("displayName", "Corp");
        OAuth2Provider o = OAuth2Providers.of(oidc).orElseThrow();
        assertThat(o.displayName()).isEqualTo("Corp");
        assertThat(o.pkce()).isFalse();
        assertThat(o.authUrl("s", Optional.empty())).startsWith("https://id.example/auth?tenant=1&client_id=c")
                .contains("scope=openid+profile+email");
    }

    @Test
    void unknownNamesAndMissingUrlsAreNotProviders() {
        assertThat(OAuth2Providers.of(MAPPER.createObjectNode().put("name", "myspace"))).isEmpty();
        assertThat(OAuth2Providers.of(MAPPER.createObjectNode().put("name", "oidc"))).isEmpty();
    }
}
