package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.tools.security.RandomStrings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The options of an auth collection, kept as PocketBase's JSON object (struct key order: authRule,
 * manageRule, authAlert, oauth2, passwordAuth, mfa, otp, the five token configs, the three mail templates)
 * with typed accessors for what the server needs.
 */
public final class AuthOptions {
    /** The token kinds and their option keys. */
    public enum TokenType {
        AUTH("auth", "authToken"), FILE("file", "fileToken"), VERIFICATION("verification", "verificationToken"),
        PASSWORD_RESET("passwordReset", "passwordResetToken"), EMAIL_CHANGE("emailChange", "emailChangeToken");

        private final String claim;
        private final String optionKey;

        TokenType(String claim, String optionKey) {
            this.claim = claim;
            this.optionKey = optionKey;
        }

        /** The {@code type} claim value. */
        public String claim() {
            return claim;
        }

        public String optionKey() {
            return optionKey;
        }

        public static Optional<TokenType> ofClaim(String claim) {
            for (TokenType t : values()) {
                if (t.claim.equals(claim)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    private final ObjectNode node;
    /** Token types whose secret was generated here rather than given (kept from the stored version on update). */
    private final java.util.EnumSet<TokenType> generatedSecrets = java.util.EnumSet.noneOf(TokenType.class);

    private AuthOptions(ObjectNode node) {
        this.node = node;
    }

    /** New-collection defaults with fresh 50-char secrets. */
    public static AuthOptions defaults() {
        ObjectNode n = template();
        AuthOptions options = new AuthOptions(n);
        for (TokenType t : TokenType.values()) {
            ((ObjectNode) n.get(t.optionKey)).put("secret", RandomStrings.random(50));
            options.generatedSecrets.add(t);
        }
        return options;
    }

    /**
     * Reads stored or submitted options over the defaults: missing keys keep their default, present ones win,
     * key order stays PocketBase's. Missing secrets are generated.
     */
    public static AuthOptions fromJson(JsonNode json) {
        AuthOptions base = defaults();
        if (json != null && json.isObject()) {
            ObjectNode known = Field.MAPPER.createObjectNode();
            base.node.fieldNames().forEachRemaining(k -> {
                if (json.has(k)) {
                    known.set(k, json.get(k));
                }
            });
            merge(base.node, known);
            for (TokenType t : TokenType.values()) {
                String given = json.path(t.optionKey).path("secret").asText("");
                if (!given.isEmpty()) {
                    base.generatedSecrets.remove(t);
                }
            }
        }
        return base;
    }

    private static void merge(ObjectNode target, ObjectNode source) {
        Iterator<Map.Entry<String, JsonNode>> it = source.properties().iterator();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode existing = target.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode so) {
                merge(eo, so);
            } else if (e.getKey().equals("secret") && (e.getValue().isNull() || e.getValue().asText().isEmpty())) {
                continue;
            } else {
                target.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    private static ObjectNode template() {
        try (InputStream in = AuthOptions.class.getResourceAsStream("auth-options.json")) {
            return (ObjectNode) Field.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A deep copy of the whole options object (secrets included). */
    public ObjectNode toJson() {
        return node.deepCopy();
    }

    /** The options as the API shows them: token secrets and OAuth2 client secrets removed, providers an array. */
    public ObjectNode toPublicJson() {
        ObjectNode copy = node.deepCopy();
        for (TokenType t : TokenType.values()) {
            if (copy.get(t.optionKey) instanceof ObjectNode o) {
                o.remove("secret");
            }
        }
        if (copy.get("oauth2") instanceof ObjectNode oauth2) {
            if (!oauth2.path("providers").isArray()) {
                oauth2.putArray("providers");
            }
            oauth2.get("providers").forEach(p -> {
                if (p instanceof ObjectNode provider) {
                    provider.remove("clientSecret");
                }
            });
        }
        return copy;
    }

    public AuthOptions copy() {
        AuthOptions c = new AuthOptions(node.deepCopy());
        c.generatedSecrets.addAll(generatedSecrets);
        return c;
    }

    /**
     * For an update: secrets that were not given (the API never shows them) keep their stored values, so
     * saving a collection read from the API does not revoke every token.
     */
    void keepStoredSecrets(AuthOptions stored) {
        for (TokenType t : generatedSecrets) {
            ((ObjectNode) node.get(t.optionKey)).put("secret", stored.tokenSecret(t));
        }
        generatedSecrets.clear();
        node.path("oauth2").path("providers").forEach(p -> {
            if (p instanceof ObjectNode provider && provider.path("clientSecret").asText("").isEmpty()) {
                stored.node.path("oauth2").path("providers").forEach(old -> {
                    if (old.path("name").asText().equals(provider.path("name").asText())
                            && !old.path("clientSecret").asText("").isEmpty()) {
                        provider.put("clientSecret", old.path("clientSecret").asText());
                    }
                });
            }
        });
    }

    public Optional<String> authRule() {
        return rule("authRule");
    }

    public Optional<String> manageRule() {
        return rule("manageRule");
    }

    public void setAuthRule(Optional<String> rule) {
        setRule("authRule", rule);
    }

    public void setManageRule(Optional<String> rule) {
        setRule("manageRule", rule);
    }

    private Optional<String> rule(String key) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
    }

    private void setRule(String key, Optional<String> rule) {
        if (rule.isPresent()) {
            node.put(key, rule.get());
        } else {
            node.putNull(key);
        }
    }

    public String tokenSecret(TokenType type) {
        return node.path(type.optionKey).path("secret").asText("");
    }

    public long tokenDuration(TokenType type) {
        return node.path(type.optionKey).path("duration").asLong(0);
    }

    public void setToken(TokenType type, String secret, long duration) {
        ObjectNode o = (ObjectNode) node.get(type.optionKey);
        o.put("secret", secret);
        o.put("duration", duration);
        generatedSecrets.remove(type);
    }

    /** Forces a superuser collection's fixed options: password auth on, OAuth2 off, MFA on with OTP. */
    void enforceSuperuserRules() {
        ((ObjectNode) node.get("passwordAuth")).put("enabled", true);
        ((ObjectNode) node.get("oauth2")).put("enabled", false);
        if (otpEnabled()) {
            ((ObjectNode) node.get("mfa")).put("enabled", true);
        }
    }

    public boolean passwordAuthEnabled() {
        return node.path("passwordAuth").path("enabled").asBoolean(false);
    }

    public List<String> identityFields() {
        List<String> out = new ArrayList<>();
        node.path("passwordAuth").path("identityFields").forEach(n -> out.add(n.asText()));
        return out;
    }

    public boolean oauth2Enabled() {
        return node.path("oauth2").path("enabled").asBoolean(false);
    }

    public boolean mfaEnabled() {
        return node.path("mfa").path("enabled").asBoolean(false);
    }

    public boolean otpEnabled() {
        return node.path("otp").path("enabled").asBoolean(false);
    }

    /** The raw option object for a key (e.g. {@code oauth2}, {@code otp}); a missing node when absent. */
    public JsonNode get(String key) {
        return node.path(key);
    }

    ObjectNode node() {
        return node;
    }
}
