package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Otps;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordMails;
import io.pocketbus.tools.security.Passwords;
import io.pocketbus.tools.security.RandomStrings;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code request-otp} (a numeric code mailed to the record; unknown emails get the same answer) and
 * {@code auth-with-otp} (5 attempts per 180 s per record; a used code is deleted; a code mailed to the
 * record's own address verifies it).
 */
final class RecordAuthOtpApi {
    /** PocketBase reuses the newest code once a record has this many live ones. */
    private static final int MAX_RECENT_OTPS = 10;
    private static final int MAX_ATTEMPTS = 5;
    private static final long ATTEMPTS_WINDOW_SECONDS = 180;
    private static final int OTP_HASH_COST = 8;
    private static final Logger LOG = LoggerFactory.getLogger(RecordAuthOtpApi.class);

    private final RateLimits limits;
    private final RecordAuthResponse authResponse;

    RecordAuthOtpApi(RateLimits limits, RecordAuthResponse authResponse) {
        this.limits = limits;
        this.authResponse = authResponse;
    }

    void bind(RouterGroup collection) {
        collection.post("/request-otp", this::request).bind(limits.collection("requestOTP"));
        collection.post("/auth-with-otp", this::authWithOtp).bind(limits.collection("authWithOTP", "auth"));
    }

    private void request(RequestEvent e) {
        Collection collection = RecordAuthForms.authCollection(e);
        if (!collection.auth().otpEnabled()) {
            throw ApiError.forbidden("The collection is not configured to allow OTP authentication.");
        }
        Map<String, Object> body = RecordAuthForms.body(e);
        String email = RecordAuthForms.text(body, "email");
        Map<String, Object> errors = RecordAuthForms.errors();
        RecordAuthForms.email(errors, "email", email);
        RecordAuthForms.throwIfInvalid(errors);

        String password = RandomStrings.random(Otps.length(collection), "1234567890");
        Optional<Record> record = e.app().findAuthRecordByEmail(collection.id(), email);
        if (record.isEmpty()) {
            // the same bcrypt work and answer shape as for a known address
            Passwords.hash(password, OTP_HASH_COST);
            e.json(200, Map.of("otpId", RandomStrings.id()));
            return;
        }
        Record user = record.get();
        List<Record> otps = Otps.findAllByRecord(e.app(), user);
        long live = otps.stream().filter(o -> !Otps.hasExpired(o, Otps.duration(collection))).count();
        Record otp;
        if (live >= MAX_RECENT_OTPS) {
            LOG.warn("too many OTP requests for record {}, reusing the last issued code", user.id());
            otp = otps.getFirst();
        } else {
            otp = Otps.create(e.app(), user, password);
            Record sent = otp;
            RecordAuthForms.async("OTP", () -> {
                try {
                    RecordMails.sendOtp(e.app(), user, sent.id(), password);
                } catch (RuntimeException ex) {
                    Otps.findById(e.app(), sent.id()).ifPresent(o -> e.app().delete(o));
                    throw ex;
                }
            });
        }
        e.json(200, Map.of("otpId", otp.id()));
    }

    private void authWithOtp(RequestEvent e) {
        Collection collection = RecordAuthForms.authCollection(e);
        if (!collection.auth().otpEnabled()) {
            throw ApiError.forbidden("The collection is not configured to allow OTP authentication.");
        }
        Map<String, Object> body = RecordAuthForms.body(e);
        String otpId = RecordAuthForms.text(body, "otpId");
        String password = RecordAuthForms.text(body, "password");
        Map<String, Object> errors = RecordAuthForms.errors();
        RecordAuthForms.requiredLength(errors, "otpId", otpId, 255);
        RecordAuthForms.requiredLength(errors, "password", password, 71);
        RecordAuthForms.throwIfInvalid(errors);
        e.infoContext("otp");

        Record otp = Otps.findById(e.app(), otpId)
                .filter(o -> o.getString("collectionRef").equals(collection.id()))
                .filter(o -> !Otps.hasExpired(o, Otps.duration(collection)))
                .orElseThrow(RecordAuthOtpApi::invalid);
        Record record = e.app().findRecordById(collection, otp.getString("recordRef")).orElseThrow(RecordAuthOtpApi::invalid);
        if (!limits.allow("@pb_otp_" + record.id(), e.remoteIp(), MAX_ATTEMPTS, ATTEMPTS_WINDOW_SECONDS)) {
            throw new ApiError(429, "Too many attempts, please try again later with a new OTP.", Map.of());
        }
        if (!Otps.validatePassword(otp, password)) {
            throw invalid();
        }
        String sentTo = Otps.sentTo(otp);
        e.app().delete(otp);
        if (!record.verified() && !sentTo.isEmpty() && record.email().equals(sentTo)) {
            record.set("verified", true);
            if (!collection.auth().mfaEnabled()) {
                record.set("password", RandomStrings.random(30));
            }
            e.app().save(record);
        }
        authResponse.write(e, record, e.app().newAuthToken(record), RecordAuthResponse.METHOD_OTP,
                Optional.empty());
    }

    private static ApiError invalid() {
        return ApiError.badRequest("Invalid or expired OTP.");
    }
}
