package io.pocketbus.tools.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
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

    @Test
    void everyProviderHasItsOwnLogoAndPocketBasesListOrder() {
        assertThat(OAuth2Providers.all()).extracting(OAuth2Providers.Known::name)
                .containsExactly("apple", "google", "microsoft", "github", "gitlab", "discord", "oidc", "oidc2", "oidc3");
        assertThat(OAuth2Providers.all()).allSatisfy(p -> {
            assertThat(p.logo()).startsWith("<svg xmlns=\"http://www.w3.org/2000/svg\"").endsWith("</svg>");
            assertThat(p.displayName()).isNotEmpty();
        });
        assertThat(OAuth2Providers.all()).filteredOn(p -> p.name().equals("oidc2")).singleElement()
                .satisfies(p -> assertThat(p.displayName()).isEqualTo("OIDC"));
    }

    @Test
    void appleAsksForAFormPostAndNeedsNoUserInfoUrl() {
        ObjectNode apple = MAPPER.createObjectNode().put("name", "apple").put("clientId", "com.example.web");
        OAuth2Provider p = OAuth2Providers.of(apple).orElseThrow();
        assertThat(p.displayName()).isEqualTo("Apple");
        assertThat(p.order()).isEqualTo(1);
        assertThat(p.authUrl("st", Optional.empty())).startsWith("https://appleid.apple.com/auth/authorize?")
                .contains("scope=name+email", "response_mode=form_post");
    }

    @Test
    void appleIdTokenClaimsAreChecked() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        long t = now.getEpochSecond();
        ObjectNode ok = MAPPER.createObjectNode().put("iss", AppleIdTokens.ISSUER).put("aud", "web")
                .put("iat", t - 10).put("exp", t + 600).put("sub", "s");
        AppleIdTokens.checkClaims(ok, "web", now);
        AppleIdTokens.checkClaims(ok.deepCopy().set("aud", MAPPER.createArrayNode().add("x").add("web")), "web", now);
        // within the 5 minutes' leeway
        AppleIdTokens.checkClaims(ok.deepCopy().put("exp", t - 200), "web", now);

        assertThatThrownBy(() -> AppleIdTokens.checkClaims(ok, "other", now)).hasMessageContaining("audience");
        assertThatThrownBy(() -> AppleIdTokens.checkClaims(ok.deepCopy().put("iss", "https://evil.example"),
                "web", now)).hasMessageContaining("issuer");
        assertThatThrownBy(() -> AppleIdTokens.checkClaims(ok.deepCopy().put("exp", t - 400), "web", now))
                .hasMessageContaining("expired");
        ObjectNode noExp = ok.deepCopy();
        noExp.remove("exp");
        assertThatThrownBy(() -> AppleIdTokens.checkClaims(noExp, "web", now)).hasMessageContaining("exp");
        assertThatThrownBy(() -> AppleIdTokens.checkClaims(ok.deepCopy().put("iat", t + 400), "web", now))
                .hasMessageContaining("before it was issued");
    }
}
