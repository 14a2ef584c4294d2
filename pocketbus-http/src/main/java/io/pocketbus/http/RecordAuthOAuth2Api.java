package io.pocketbus.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.ExternalAuths;
import io.pocketbus.core.Record;
import io.pocketbus.core.ValidationError;
import io.pocketbus.tools.auth.OAuth2Exception;
import io.pocketbus.tools.auth.OAuth2Provider;
import io.pocketbus.tools.auth.OAuth2Providers;
import io.pocketbus.tools.auth.OAuth2User;
import io.pocketbus.tools.security.RandomStrings;
import io.pocketbus.tools.types.DateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * OAuth2 login ({@code auth-with-oauth2}: code + PKCE verifier exchanged with the provider, the account
 * linked through {@code _externalAuths}, a new record signed up through the create request when none matches),
 * the providers of {@code auth-methods}, and {@code /api/oauth2-redirect}.
 */
final class RecordAuthOAuth2Api {
    static final String CONTEXT_OAUTH2 = "oauth2";
    private static final String SUCCESS_PATH = "../_/#/auth/oauth2-redirect-success";
    private static final String FAILURE_PATH = "../_/#/auth/oauth2-redirect-failure";

    private final RecordAuthResponse authResponse;
    private final OAuth2RedirectTarget redirectTarget;
    private final RecordAuthOAuth2SignUp signUp;
    private final AppleRedirectNames appleNames = new AppleRedirectNames();

    RecordAuthOAuth2Api(RecordAuthResponse authResponse, OAuth2RedirectTarget redirectTarget, RecordCrudApi records) {
        this.authResponse = authResponse;
        this.redirectTarget = redirectTarget;
        this.signUp = new RecordAuthOAuth2SignUp(records, new OAuth2Avatars());
    }

    void bind(RouterGroup api, RouterGroup collection, RateLimits limits) {
        api.get("/oauth2-redirect", this::redirect);
        api.post("/oauth2-redirect", this::redirect);
        collection.post("/auth-with-oauth2", this::authWithOAuth2)
                .bind(limits.collection("authWithOAuth2", "auth"));
    }

    /** The enabled providers as auth-methods lists them (each with a fresh state and PKCE pair). */
    static List<Map<String, Object>> providerInfos(Collection collection) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (!collection.auth().oauth2Enabled()) {
            return out;
        }
        for (JsonNode config : collection.auth().get("oauth2").path("providers")) {
            Optional<OAuth2Provider> provider = OAuth2Providers.of(config);
            if (provider.isEmpty()) {
                continue;
            }
            String state = RandomStrings.random(30);
            String verifier = "";
            String challenge = "";
            if (provider.get().pkce()) {
                verifier = RandomStrings.random(43);
                challenge = OAuth2Provider.s256Challenge(verifier);
            }
            String authURL = provider.get().authUrl(state, challenge.isEmpty() ? Optional.empty()
                    : Optional.of(challenge)) + "&redirect_uri=";
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("name", provider.get().name());
            info.put("displayName", provider.get().displayName());
            info.put("logo", provider.get().logo());
            info.put("state", state);
            info.put("authURL", authURL);
            info.put("authUrl", authURL);
            info.put("codeVerifier", verifier);
            info.put("codeChallenge", challenge);
            info.put("codeChallengeMethod", challenge.isEmpty() ? "" : "S256");
            out.add(info);
        }
        return out;
    }

    /** {@code GET /api/collections/meta/oauth2-providers}: every provider the server knows, for the dashboard. */
    static void listProviders(RequestEvent e) {
        e.json(200, OAuth2Providers.all().stream().map(p -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("name", p.name());
            item.put("displayName", p.displayName());
            item.put("logo", p.logo());
            return item;
        }).toList());
    }

    private void redirect(RequestEvent e) {
        Map<String, String> data = new LinkedHashMap<>();
        if (e.method().equals("POST")) {
            Map<String, Object> body;
            try {
                body = e.bindBody();
            } catch (ApiError ex) {
                failure(e);
                return;
            }
            body.forEach((k, v) -> data.put(k, v == null ? "" : String.valueOf(v)));
        } else {
            e.query().forEach((k, v) -> data.put(k, v.isEmpty() ? "" : v.getFirst()));
        }
        String state = data.getOrDefault("state", "");
        String code = data.getOrDefault("code", "");
        String error = data.getOrDefault("error", "");
        Map<String, String> message = new LinkedHashMap<>();
        message.put("state", state);
        message.put("code", code);
        if (!error.isEmpty()) {
            message.put("error", error);
        }
        if (state.isEmpty()) {
            failure(e);
            return;
        }
        // kept before the message goes out, so the login it triggers finds it; dropped if nobody got it
        if (error.isEmpty()) {
            appleNames.remember(code, data.getOrDefault("user", ""));
        }
        if (!redirectTarget.deliver(e.app(), state, e.remoteIp(), message)) {
            appleNames.take(code);
            failure(e);
            return;
        }
        if (!error.isEmpty() || code.isEmpty()) {
            failure(e);
            return;
        }
        e.redirect(e.method().equals("GET") ? 307 : 303, SUCCESS_PATH);
    }

    private static void failure(RequestEvent e) {
        e.redirect(e.method().equals("GET") ? 307 : 303, FAILURE_PATH);
    }

    private void authWithOAuth2(RequestEvent e) {
        Collection collection = RecordAuthForms.authCollection(e);
        if (!collection.auth().oauth2Enabled()) {
            throw ApiError.forbidden("The collection is not configured to allow OAuth2 authentication.");
        }
        Optional<Record> loggedIn = e.auth().filter(a -> a.collection().id().equals(collection.id()));
        e.infoContext(CONTEXT_OAUTH2);
        Map<String, Object> body = RecordAuthForms.body(e);
        String providerName = RecordAuthForms.text(body, "provider");
        String code = RecordAuthForms.text(body, "code");
        String redirectURL = RecordAuthForms.text(body, "redirectURL");
        if (redirectURL.isEmpty()) {
            redirectURL = RecordAuthForms.text(body, "redirectUrl");
        }
        Optional<JsonNode> config = providerConfig(collection, providerName);
        Map<String, Object> errors = RecordAuthForms.errors();
        if (RecordAuthForms.requiredLength(errors, "provider", providerName, 100) && config.isEmpty()) {
            errors.put("provider", ValidationError.of("validation_invalid_provider",
                    "Provider with name " + providerName + " is missing or is not enabled.",
                    Map.of("name", providerName)));
        }
        if (code.isEmpty()) {
            errors.put("code", ValidationError.required());
        }
        if (!errors.isEmpty()) {
            throw ApiError.badRequest("An error occurred while loading the submitted data.", errors);
        }
        OAuth2Provider provider = OAuth2Providers.of(config.orElseThrow())
                .orElseThrow(() -> ApiError.internal("Failed to init provider " + providerName + ".", null));
        JsonNode token;
        try {
            token = provider.fetchToken(code, RecordAuthForms.text(body, "codeVerifier"), redirectURL);
        } catch (OAuth2Exception ex) {
            throw new ApiError(400, "Failed to fetch OAuth2 token.", Map.of(), ex);
        }
        OAuth2User fetched;
        try {
            fetched = provider.fetchUser(token);
        } catch (OAuth2Exception ex) {
            throw new ApiError(400, "Failed to fetch OAuth2 user.", Map.of(), ex);
        }
        // Apple's name only came with the first redirect, kept under this code
        OAuth2User user = providerName.equals("apple") && fetched.name().isEmpty()
                ? appleNames.take(code).map(fetched::withName).orElse(fetched) : fetched;

        Optional<Record> link = ExternalAuths.findByProvider(e.app(), collection, providerName, user.id());
        Optional<Record> record = link.flatMap(l -> e.app().findRecordById(collection, l.getString("recordRef")))
                .or(() -> loggedIn)
                .or(() -> user.email().isEmpty() ? Optional.empty()
                        : e.app().findAuthRecordByEmail(collection.id(), user.email()));
        boolean isNew = record.isEmpty();
        Map<String, Object> createData = body.get("createData") instanceof Map<?, ?> m
                ? new LinkedHashMap<>(castMap(m)) : new LinkedHashMap<>();
        Record authRecord;
        try {
            authRecord = e.app().callInTransaction(app -> submit(e, collection, providerName, user, record,
                    link, loggedIn, createData));
        } catch (ApiError ex) {
            throw new ApiError(400, "Failed to authenticate.", Map.of(), ex);
        }
        Map<String, Object> meta = new TreeMap<>();
        meta.put("id", user.id());
        meta.put("name", user.name());
        meta.put("username", user.username());
        meta.put("email", user.email());
        meta.put("avatarURL", user.avatarURL());
        meta.put("accessToken", user.accessToken());
        meta.put("refreshToken", user.refreshToken());
        meta.put("expiry", user.expiry().map(i -> new DateTime(i).toString()).orElse(""));
        meta.put("rawUser", user.rawUser());
        meta.put("isNew", isNew);
        authResponse.write(e, authRecord, e.app().newAuthToken(authRecord), RecordAuthResponse.METHOD_OAUTH2,
                Optional.of(meta));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    private static Optional<JsonNode> providerConfig(Collection collection, String name) {
        for (JsonNode p : collection.auth().get("oauth2").path("providers")) {
            if (p.path("name").asText("").equals(name) && !name.isEmpty()) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** PocketBase's oauth2Submit: create or update the record, then make sure the link exists. */
    private Record submit(RequestEvent e, Collection collection, String providerName, OAuth2User user,
                                 Optional<Record> found, Optional<Record> link, Optional<Record> loggedIn,
                                 Map<String, Object> createData) {
        Record record;
        boolean linkValid = link.isPresent();
        if (found.isEmpty()) {
            if (collection.isSuperusers()) {
                throw ApiError.badRequest("Superusers are not allowed to sign-up with OAuth2.");
            }
            record = signUp.create(e, collection, user, createData);
            if (record.email().equals(user.email()) && !record.verified()) {
                record.set("verified", true);
                e.app().save(record);
            }
        } else {
            record = found.get();
            boolean needUpdate = false;
            boolean isLoggedIn = loggedIn.map(a -> a.id().equals(found.get().id())).orElse(false);
            if (!isLoggedIn && !record.verified()) {
                needUpdate = true;
                record.set("password", RandomStrings.random(30));
            }
            if (!record.verified()) {
                // an unverified account may have been registered by someone else: drop its old links
                ExternalAuths.deleteAllByRecord(e.app(), record);
                linkValid = false;
            }
            if (record.email().isEmpty() && !user.email().isEmpty()) {
                needUpdate = true;
                record.set("email", user.email());
            }
            if (!record.verified() && (record.email().isEmpty() || record.email().equals(user.email()))) {
                needUpdate = true;
                record.set("verified", true);
            }
            if (needUpdate) {
                e.app().save(record);
            }
        }
        if (!linkValid) {
            ExternalAuths.link(e.app(), record, providerName, user.id());
        }
        return record;
    }
}
