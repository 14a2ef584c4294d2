package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Field;
import io.pocketbus.core.PasswordField;
import io.pocketbus.core.Record;
import io.pocketbus.core.ValidationError;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * PocketBase's record upsert form: loads submitted data into a record (hidden fields only for superusers,
 * the auth {@code password} excepted) and checks the auth-only rules before saving — password with
 * {@code passwordConfirm}, {@code oldPassword} for a non-manager changing it, and email / verified changes
 * for managers only.
 */
final class RecordUpsert {
    enum Access { DEFAULT, MANAGER, SUPERUSER }

    private final App app;
    private Record record;
    private Access access = Access.DEFAULT;
    private String password = "";
    private String passwordConfirm = "";
    private String oldPassword = "";

    RecordUpsert(App app, Record record) {
        this.app = app;
        this.record = record;
    }

    Record record() {
        return record;
    }

    /** Submits another record instance instead (a request hook replaced it). */
    void record(Record value) {
        this.record = value;
    }

    void grant(Access level) {
        this.access = level;
    }

    boolean hasManageAccess() {
        return access != Access.DEFAULT;
    }

    void load(Map<String, Object> data) {
        boolean auth = record.collection().isAuth();
        Map<String, Object> values = new LinkedHashMap<>(data);
        values.remove("expand");
        if (auth) {
            password = textOf(values.get("password"));
            passwordConfirm = textOf(values.remove("passwordConfirm"));
            oldPassword = textOf(values.remove("oldPassword"));
        }
        if (access != Access.SUPERUSER) {
            for (Field field : record.collection().fields()) {
                if (field.hidden() && !(auth && field.name().equals("password"))) {
                    values.keySet().removeIf(k -> baseName(k).equals(field.name()));
                }
            }
        }
        record.load(values);
    }

    /** Validates the auth form rules, then saves through the app's hooks. */
    void submit(String failureMessage) {
        Map<String, Object> errors = authFormErrors();
        if (!errors.isEmpty()) {
            throw ApiError.badRequest(failureMessage, errors);
        }
        try {
            app.save(record);
        } catch (ApiError e) {
            throw e.status() == 400 ? new ApiError(400, failureMessage, e.data(), e) : e;
        }
    }

    private Map<String, Object> authFormErrors() {
        Map<String, Object> errors = new LinkedHashMap<>();
        if (!record.collection().isAuth()) {
            return errors;
        }
        boolean isNew = record.isNew();
        if (!isNew && !hasManageAccess() && !Objects.equals(record.email(), record.original("email"))) {
            errors.put("email", mismatch());
        }
        if (!hasManageAccess() && record.verified() != Boolean.TRUE.equals(record.original("verified"))) {
            errors.put("verified", mismatch());
        }
        if (password.isEmpty() && (isNew || !passwordConfirm.isEmpty() || !oldPassword.isEmpty())) {
            errors.put("password", ValidationError.required());
        }
        if (passwordConfirm.isEmpty() && (isNew || !password.isEmpty() || !oldPassword.isEmpty())) {
            errors.put("passwordConfirm", ValidationError.required());
        } else if (!passwordConfirm.equals(password)) {
            errors.put("passwordConfirm", mismatch());
        }
        if (!isNew && !hasManageAccess() && (!password.isEmpty() || !passwordConfirm.isEmpty())) {
            if (oldPassword.isEmpty()) {
                errors.put("oldPassword", ValidationError.required());
            } else if (!record.originalCopy().validatePassword(oldPassword)) {
                errors.put("oldPassword",
                        ValidationError.of("validation_invalid_old_password", "Missing or invalid old password."));
            }
        }
        return errors;
    }

    private static ValidationError mismatch() {
        return ValidationError.of("validation_values_mismatch", "Values don't match.");
    }

    private static String textOf(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double d && d == Math.rint(d)) {
            return String.valueOf(d.longValue());
        }
        return String.valueOf(value);
    }

    /** The field a body key targets: {@code f+}, {@code +f}, {@code f-}, {@code f:autogenerate} → {@code f}. */
    static String baseName(String key) {
        String k = key.endsWith(":autogenerate") ? key.substring(0, key.length() - ":autogenerate".length()) : key;
        if (k.startsWith("+")) {
            return k.substring(1);
        }
        if (k.endsWith("+") || k.endsWith("-")) {
            return k.substring(0, k.length() - 1);
        }
        return k;
    }

    /**
     * The submitted body with its modifiers resolved against {@code record} ({@code {"n+":2}} on n=1 reads as
     * {@code {"n":3}}), which is what rules see as {@code @request.body}.
     */
    static Map<String, Object> replaceModifiers(Record record, Map<String, Object> body) {
        Record applied = record.copy().load(body);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : body.entrySet()) {
            String name = baseName(entry.getKey());
            // a password stays the submitted plain text (the applied value is its hash)
            if (record.collection().field(name).filter(f -> !(f instanceof PasswordField)).isPresent()) {
                out.put(name, record.collection().field(name).get().jsonValue(applied.get(name)));
            } else {
                out.put(entry.getKey(), entry.getValue());
            }
        }
        return out;
    }
}
