package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.AuthOrigins;
import io.pocketbus.core.Mfas;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordMails;
import io.pocketbus.core.RequestInfo;
import io.pocketbus.core.RuleCheck;
import io.pocketbus.tools.search.FilterException;
import io.pocketbus.tools.types.DateTime;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PocketBase's common auth response ({@code RecordAuthResponse}): the authRule check, MFA (a first method
 * answers {@code 401 {"mfaId":"..."}}, a second different method within the session completes the login),
 * the login alert for a new origin, then {@code {"meta"?, "record", "token"}}.
 */
final class RecordAuthResponse {
    static final String METHOD_PASSWORD = "password";
    static final String METHOD_OTP = "otp";
    static final String METHOD_OAUTH2 = "oauth2";
    /** PocketBase keeps up to this many known login origins per record. */
    private static final int MAX_AUTH_ORIGINS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(RecordAuthResponse.class);

    private final ApiHooks hooks;

    RecordAuthResponse(ApiHooks hooks) {
        this.hooks = hooks;
    }

    /**
     * Writes the auth response for {@code record} through the {@code onRecordAuthRequest} chain. An empty
     * {@code authMethod} skips MFA and the login alert (refresh, impersonation).
     */
    void write(RequestEvent e, Record record, String token, String authMethod, Optional<Map<String, Object>> meta) {
        if (record.isSuperuser()) {
            Middlewares.checkSuperuserIp(e);
        }
        RequestInfo info = e.requestInfo();
        boolean allowed;
        try {
            allowed = RuleCheck.canAccess(e.app(), record, info, record.collection().auth().authRule());
        } catch (FilterException ex) {
            allowed = false;
        }
        if (!allowed) {
            throw ApiError.forbidden("The request doesn't satisfy the collection requirements to authenticate.");
        }
        hooks.recordAuth.trigger(new RecordAuthRequestEvent(e, record, token, authMethod), ev -> {
            if (e.written()) {
                return;
            }
            Optional<String> mfaId = checkMfa(e, record, authMethod);
            if (mfaId.isPresent()) {
                e.json(401, Map.of("mfaId", mfaId.get()));
                return;
            }
            RequestInfo asRecord = new RequestInfo(info.context(), info.method(), info.query(), info.headers(),
                    info.body(), Optional.of(record));
            RecordEnricher.enrich(e, asRecord, List.of(record));
            record.withEmailVisible(true);
            if (!authMethod.isEmpty()
                    && record.collection().auth().get("authAlert").path("enabled").asBoolean(false)) {
                authAlert(e, record);
            }
            Map<String, Object> body = new LinkedHashMap<>();
            meta.ifPresent(m -> body.put("meta", m));
            body.put("record", record.toJson());
            body.put("token", ev.token());
            e.json(200, body);
        });
    }

    /** The new MFA session id when another method is still needed; empty when the login may complete. */
    private static Optional<String> checkMfa(RequestEvent e, Record record, String authMethod) {
        if (authMethod.isEmpty() || !record.collection().auth().mfaEnabled() || !wantsMfa(e, record)) {
            return Optional.empty();
        }
        String mfaId = e.queryParam("mfaId").orElse("");
        if (mfaId.isEmpty()) {
            Object fromBody = e.bindBody().get("mfaId");
            mfaId = fromBody == null ? "" : String.valueOf(fromBody);
        }
        if (mfaId.isEmpty()) {
            return Optional.of(Mfas.create(e.app(), record, authMethod).id());
        }
        Optional<Record> mfa = Mfas.findById(e.app(), mfaId);
        if (mfa.isEmpty() || Mfas.hasExpired(mfa.get(), Mfas.duration(record.collection()))) {
            mfa.ifPresent(m -> e.app().delete(m));
            throw ApiError.badRequest("Invalid or expired MFA session.");
        }
        if (!mfa.get().getString("recordRef").equals(record.id())
                || !mfa.get().getString("collectionRef").equals(record.collection().id())) {
            throw ApiError.badRequest("Invalid MFA session.");
        }
        if (mfa.get().getString("method").equals(authMethod)) {
            throw ApiError.badRequest("A different authentication method is required.");
        }
        e.app().delete(mfa.get());
        return Optional.empty();
    }

    /** An empty MFA rule means always; a failing rule evaluation means MFA (the safer side). */
    private static boolean wantsMfa(RequestEvent e, Record record) {
        String rule = Mfas.rule(record.collection());
        if (rule.isEmpty()) {
            return true;
        }
        try {
            return RuleCheck.canAccess(e.app(), record, e.requestInfo(), Optional.of(rule));
        } catch (FilterException ex) {
            throw new ApiError(400, "Failed to authenticate.", Map.of(), ex);
        }
    }

    /**
     * Remembers the login origin (IP + user agent); a new origin of a record that logged in before gets the
     * collection's login alert mail.
     */
    private static void authAlert(RequestEvent e, Record record) {
        String ip = e.remoteIp();
        String userAgent = e.header("User-Agent").orElse("");
        if (userAgent.length() > 200) {
            userAgent = userAgent.substring(0, 200) + "...";
        }
        String fingerprint = md5(ip + userAgent);
        List<Record> origins = AuthOrigins.findAllByRecord(e.app(), record);
        boolean known = origins.stream().anyMatch(o -> o.getString("fingerprint").equals(fingerprint));
        if (!known && !origins.isEmpty() && !record.email().isEmpty()) {
            String alertInfo = DateTime.now() + " - " + ip + " " + userAgent;
            Record target = record.copy();
            Thread.ofVirtual().name("pocketbus-auth-alert").start(() -> {
                try {
                    RecordMails.sendAuthAlert(e.app(), target, alertInfo);
                } catch (RuntimeException ex) {
                    LOG.warn("failed to send the login alert to record {}: {}", target.id(), ex.getMessage());
                }
            });
        }
        if (!known && origins.size() >= MAX_AUTH_ORIGINS) {
            for (Record old : origins.subList(MAX_AUTH_ORIGINS - 1, origins.size())) {
                e.app().delete(old);
            }
        }
        AuthOrigins.remember(e.app(), record, fingerprint);
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("MD5 is a required JDK algorithm", ex);
        }
    }
}
