package io.pocketbus.core;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Validates a collection before it is saved, with PocketBase's error shape and codes. */
final class CollectionValidator {
    private static final Pattern NAME = Pattern.compile("^\\w+$");
    private static final Set<String> RESERVED_FIELD_NAMES = Set.of("null", "true", "false", "_rowid_",
            "collectionid", "collectionname", "expand");
    private static final List<String> AUTH_SYSTEM_FIELDS =
            List.of("id", "password", "tokenKey", "email", "emailVisibility", "verified");
    static final long MIN_TOKEN_DURATION = 10;
    static final long MAX_TOKEN_DURATION = 94_670_856;

    private final App app;

    CollectionValidator(App app) {
        this.app = app;
    }

    /** Throws a 400 {@link ApiError} with every problem found. {@code old} is the stored version, if any. */
    void validate(Collection c, Optional<Collection> old, String failureMessage) {
        Map<String, Object> errors = new LinkedHashMap<>();
        validateId(c, old, errors);
        validateName(c, old, errors);
        if (old.isPresent() && old.get().type() != c.type()) {
            errors.put("type", err("validation_collection_type_change", "Collection type cannot be changed."));
        }
        if (old.isPresent() && old.get().system() != c.system()) {
            errors.put("system", err("validation_collection_system_flag_change", "System collection state cannot be changed."));
        }
        if (old.isPresent() && old.get().system()) {
            checkSystemRules(c, old.get(), errors);
        }
        putNested(errors, "fields", validateFields(c, old));
        putNested(errors, "indexes", validateIndexes(c, old));
        validateRules(c, errors);
        if (c.isView() && c.viewQuery().isBlank()) {
            errors.put("viewQuery", ValidationError.required());
        }
        if (c.isAuth()) {
            validateAuthOptions(c, errors);
        }
        if (!errors.isEmpty()) {
            throw ApiError.badRequest(failureMessage, errors);
        }
    }

    /** Per-item errors go under their index; a list-level error (key "") replaces them. */
    private static void putNested(Map<String, Object> errors, String key, Map<String, Object> nested) {
        if (nested.containsKey("")) {
            errors.put(key, nested.get(""));
        } else if (!nested.isEmpty()) {
            errors.put(key, nested);
        }
    }

    private static ValidationError err(String code, String message) {
        return ValidationError.of(code, message);
    }

    private void validateId(Collection c, Optional<Collection> old, Map<String, Object> errors) {
        if (old.isPresent()) {
            return;
        }
        String id = c.id();
        if (id.isEmpty() || id.length() > 100 || !NAME.matcher(id).matches()) {
            errors.put("id", err("validation_match_invalid", "Must be in a valid format."));
        } else if (app.findCollectionByNameOrId(id).filter(x -> x.id().equals(id)).isPresent()) {
            errors.put("id", err("validation_invalid_or_existing_id", "The model id is invalid or already exists."));
        }
    }

    private void validateName(Collection c, Optional<Collection> old, Map<String, Object> errors) {
        String name = c.name();
        if (name.isEmpty()) {
            errors.put("name", ValidationError.required());
            return;
        }
        if (name.length() > 255 || !NAME.matcher(name).matches()) {
            errors.put("name", err("validation_match_invalid", "Must be in a valid format."));
            return;
        }
        if (old.isPresent() && old.get().system() && !old.get().name().equals(name)) {
            errors.put("name", err("validation_collection_system_name_change", "System collection name cannot be changed."));
            return;
        }
        Optional<Collection> sameName = app.findCollectionByNameOrId(name)
                .filter(x -> x.name().equalsIgnoreCase(name) && !x.id().equals(c.id()));
        if (sameName.isPresent()) {
            errors.put("name", err("validation_collection_name_exists",
                    "Collection name must be unique (case insensitive)."));
            return;
        }
        if (app.findCollectionByNameOrId(name).filter(x -> x.id().equals(name) && !x.id().equals(c.id())).isPresent()) {
            errors.put("name", err("validation_collection_name_id_duplicate",
                    "The name must not match an existing collection id."));
            return;
        }
        boolean renamedOrNew = old.map(o -> !o.name().equals(name)).orElse(true);
        boolean internalTable = app.findCollectionByNameOrId(name).isEmpty() && app.db().queryOne(
                "SELECT 1 FROM sqlite_master WHERE lower(name) = lower(?) AND type IN ('table','view')",
                List.of(name), rs -> true).isPresent();
        if (renamedOrNew && (internalTable || name.toLowerCase(Locale.ROOT).startsWith("sqlite_"))) {
            errors.put("name", err("validation_collection_name_invalid",
                    "The name shouldn't match with an existing internal table."));
        }
    }

    private static void checkSystemRules(Collection c, Collection old, Map<String, Object> errors) {
        checkRule("listRule", c.listRule(), old.listRule(), errors);
        checkRule("viewRule", c.viewRule(), old.viewRule(), errors);
        checkRule("createRule", c.createRule(), old.createRule(), errors);
        checkRule("updateRule", c.updateRule(), old.updateRule(), errors);
        checkRule("deleteRule", c.deleteRule(), old.deleteRule(), errors);
    }

    private static void checkRule(String key, Optional<String> now, Optional<String> before, Map<String, Object> errors) {
        if (!now.equals(before)) {
            errors.put(key, err("validation_collection_system_rule_change", "System collection API rule cannot be changed."));
        }
    }

    private Map<String, Object> validateFields(Collection c, Optional<Collection> old) {
        Map<String, Object> errors = new LinkedHashMap<>();
        Set<String> names = new HashSet<>();
        Set<String> ids = new HashSet<>();
        List<Field> fields = c.fields();
        for (int i = 0; i < fields.size(); i++) {
            Field f = fields.get(i);
            Map<String, Object> fe = new LinkedHashMap<>();
            String name = f.name();
            if (name.isEmpty()) {
                fe.put("name", ValidationError.required());
            } else if (name.length() > 100 || !NAME.matcher(name).matches()) {
                fe.put("name", err("validation_match_invalid", "Must be in a valid format."));
            } else if (RESERVED_FIELD_NAMES.contains(name.toLowerCase(Locale.ROOT)) || name.contains("_via_")) {
                fe.put("name", err("validation_reserved_field_name", "The field name is reserved."));
            } else if (!names.add(name.toLowerCase(Locale.ROOT))) {
                fe.put("name", ValidationError.of("validation_duplicated_field_name", "Duplicated or invalid field name " + name + ".",
                        Map.of("fieldName", name)));
            }
            if (!f.id().isEmpty() && !ids.add(f.id())) {
                fe.put("id", err("validation_duplicated_field_id", "Duplicated or invalid field id \"" + f.id() + "\"."));
            }
            Optional<Field> before = old.flatMap(o -> o.fieldById(f.id()));
            if (before.isPresent() && !before.get().type().equals(f.type())) {
                fe.put("type", err("validation_field_type_change", "Field type cannot be changed."));
            }
            if (before.isPresent() && before.get().system() && !before.get().name().equals(f.name())) {
                fe.put("name", err("validation_system_field_change", "System fields cannot be deleted or renamed."));
            }
            fe.putAll(settingsErrors(c, f));
            if (!fe.isEmpty()) {
                errors.put(String.valueOf(i), fe);
            }
        }
        if (old.isPresent()) {
            for (Field prev : old.get().fields()) {
                if (prev.system() && c.fieldById(prev.id()).isEmpty() && !c.isView()) {
                    errors.put("", err("validation_system_field_change", "System fields cannot be deleted or renamed."));
                }
            }
        }
        if (!c.isView()) {
            Optional<Field> id = c.field("id");
            if (id.isEmpty() || !(id.get() instanceof TextField tf) || !tf.primaryKey()) {
                errors.put("", err("validation_missing_primary_key", "Missing or invalid \"id\" PK field."));
            }
        }
        if (c.isAuth()) {
            for (String sys : AUTH_SYSTEM_FIELDS) {
                if (c.field(sys).isEmpty()) {
                    errors.put("", err("validation_missing_" + sys + "_field", "System \"" + sys + "\" field is required."));
                }
            }
        }
        return errors;
    }

    private Map<String, Object> settingsErrors(Collection c, Field f) {
        Map<String, Object> e = new LinkedHashMap<>();
        switch (f) {
            case RelationField rf -> {
                Optional<Collection> target = rf.collectionId().equals(c.id()) ? Optional.of(c)
                        : app.findCollectionByNameOrId(rf.collectionId()).filter(t -> t.id().equals(rf.collectionId()));
                if (target.isEmpty()) {
                    e.put("collectionId", err("validation_missing_rel_collection",
                            "The relation collection doesn't exist."));
                } else if (target.get().isView() && !c.isView()) {
                    e.put("collectionId", err("validation_invalid_view_relation",
                            "Non view collections are not allowed to have a view relation."));
                }
                if (rf.minSelect() < 0 || (rf.maxSelect() > 0 && rf.minSelect() > rf.maxSelect())) {
                    e.put("minSelect", err("validation_invalid_value", "Invalid value."));
                }
            }
            case SelectField sf -> {
                if (sf.values().isEmpty()) {
                    e.put("values", ValidationError.required());
                }
                if (sf.maxSelect() > Math.max(sf.values().size(), 1)) {
                    e.put("maxSelect", err("validation_max_less_equal_than_required",
                            "Must be no greater than " + sf.values().size() + "."));
                }
            }
            case NumberField nf -> {
                if (nf.min().isPresent() && nf.max().isPresent() && nf.min().get() > nf.max().get()) {
                    e.put("max", err("validation_min_greater_equal_than_required", "Must be no less than min."));
                }
            }
            case TextField tf -> {
                if (tf.max() > 0 && tf.min() > tf.max()) {
                    e.put("max", err("validation_min_greater_equal_than_required", "Must be no less than min."));
                }
                if (!validRegex(tf.pattern())) {
                    e.put("pattern", err("validation_invalid_regex", "Invalid regular expression."));
                }
                if (!validRegex(tf.autogeneratePattern())) {
                    e.put("autogeneratePattern", err("validation_invalid_regex", "Invalid regular expression."));
                }
            }
            case PasswordField pf -> {
                if (pf.max() > PasswordField.MAX_LENGTH) {
                    e.put("max", err("validation_max_less_equal_than_required", "Must be no greater than 71."));
                }
                if (pf.cost() != 0 && (pf.cost() < 4 || pf.cost() > 31)) {
                    e.put("cost", err("validation_invalid_value", "Invalid value."));
                }
            }
            default -> {
            }
        }
        return e;
    }

    private static boolean validRegex(String pattern) {
        try {
            Pattern.compile(pattern);
            return true;
        } catch (java.util.regex.PatternSyntaxException ex) {
            return false;
        }
    }

    private Map<String, Object> validateIndexes(Collection c, Optional<Collection> old) {
        Map<String, Object> errors = new LinkedHashMap<>();
        List<String> indexes = c.indexes();
        if (c.isView() && !indexes.isEmpty()) {
            errors.put("", err("validation_indexes_not_supported", "View collections don't support indexes."));
            return errors;
        }
        Set<String> seen = new HashSet<>();
        Set<String> ownOld = new HashSet<>();
        old.ifPresent(o -> o.indexes().forEach(s -> IndexSql.parse(s).ifPresent(p -> ownOld.add(p.name().toLowerCase(Locale.ROOT)))));
        for (int i = 0; i < indexes.size(); i++) {
            Optional<IndexSql> parsed = IndexSql.parse(indexes.get(i));
            if (parsed.isEmpty()) {
                errors.put(String.valueOf(i), err("validation_invalid_index_expression", "Invalid CREATE INDEX expression."));
                continue;
            }
            String name = parsed.get().name().toLowerCase(Locale.ROOT);
            if (!seen.add(name)) {
                errors.put(String.valueOf(i), err("validation_duplicated_index_name", "The index name already exists."));
                continue;
            }
            Optional<String> usedBy = ownOld.contains(name) ? Optional.empty() : app.db().queryOne(
                    "SELECT tbl_name FROM sqlite_master WHERE type = 'index' AND lower(name) = ? "
                            + "AND lower(tbl_name) != lower(?) AND lower(tbl_name) != lower(?)",
                    List.of(name, old.map(Collection::name).orElse(c.name()), c.name()), rs -> rs.getString(1));
            if (usedBy.isPresent()) {
                errors.put(String.valueOf(i), ValidationError.of("validation_existing_index_name",
                        "The index name is already used in " + usedBy.get() + " collection.",
                        Map.of("usedTableName", usedBy.get())));
                continue;
            }
            for (String col : parsed.get().columnNames()) {
                if (c.field(col).isEmpty()) {
                    errors.put(String.valueOf(i), err("validation_invalid_index_column",
                            "Index column \"" + col + "\" doesn't exist."));
                }
            }
        }
        return errors;
    }

    private void validateRules(Collection c, Map<String, Object> errors) {
        RuleValidator rv = app.ruleValidator().orElse(null);
        Map<String, Optional<String>> rules = new LinkedHashMap<>();
        rules.put("listRule", c.listRule());
        rules.put("viewRule", c.viewRule());
        if (!c.isView()) {
            rules.put("createRule", c.createRule());
            rules.put("updateRule", c.updateRule());
            rules.put("deleteRule", c.deleteRule());
        }
        c.authOptions().ifPresent(a -> {
            rules.put("authRule", a.authRule());
            rules.put("manageRule", a.manageRule());
        });
        for (Map.Entry<String, Optional<String>> e : rules.entrySet()) {
            if (e.getValue().isEmpty() || e.getValue().get().isBlank()) {
                continue;
            }
            if (rv != null) {
                rv.check(app, c, e.getValue().get()).ifPresent(msg -> errors.put(e.getKey(),
                        ValidationError.of("validation_invalid_rule", "Invalid rule. Raw error: " + msg)));
            }
        }
        if (c.isView() && (c.createRule().isPresent() || c.updateRule().isPresent() || c.deleteRule().isPresent())) {
            errors.put("createRule", err("validation_nil", "View collections don't support create, update or delete rules."));
        }
    }

    private void validateAuthOptions(Collection c, Map<String, Object> errors) {
        AuthOptions a = c.auth();
        if (a.manageRule().filter(String::isBlank).isPresent()) {
            errors.put("manageRule", err("validation_required", "The manage rule must be null or a filter."));
        }
        for (AuthOptions.TokenType t : AuthOptions.TokenType.values()) {
            long d = a.tokenDuration(t);
            Map<String, Object> te = new LinkedHashMap<>();
            if (d < MIN_TOKEN_DURATION || d > MAX_TOKEN_DURATION) {
                te.put("duration", err("validation_out_of_range", "Must be between 10 and 94670856."));
            }
            if (a.tokenSecret(t).length() < 30) {
                te.put("secret", err("validation_length_out_of_range", "The length must be between 30 and 255."));
            }
            if (!te.isEmpty()) {
                errors.put(t.optionKey(), te);
            }
        }
        if (a.passwordAuthEnabled()) {
            Map<String, Object> pe = new LinkedHashMap<>();
            List<String> identity = a.identityFields();
            for (int i = 0; i < identity.size(); i++) {
                String field = identity.get(i);
                if (c.field(field).isEmpty() || !hasUniqueIndex(c, field)) {
                    pe.put(String.valueOf(i), err("validation_missing_unique_constraint",
                            "The identity field must have a UNIQUE index."));
                }
            }
            if (!pe.isEmpty()) {
                errors.put("passwordAuth", Map.of("identityFields", pe));
            }
        }
        if (a.mfaEnabled()) {
            int methods = (a.passwordAuthEnabled() ? 1 : 0) + (a.oauth2Enabled() ? 1 : 0) + (a.otpEnabled() ? 1 : 0);
            if (methods < 2) {
                errors.put("mfa", Map.of("enabled", err("validation_mfa_not_enough_auths",
                        "MFA requires at least 2 auth methods to be enabled.")));
            }
        }
    }

    static boolean hasUniqueIndex(Collection c, String field) {
        if (field.equals("id")) {
            return true;
        }
        for (String index : c.indexes()) {
            Optional<IndexSql> p = IndexSql.parse(index);
            if (p.isPresent() && p.get().unique() && p.get().columnNames().size() == 1
                    && p.get().columnNames().get(0).equals(field) && p.get().columns().split(",").length == 1) {
                return true;
            }
        }
        return false;
    }
}
