package io.pocketbus.broker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.ResponsePermission;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Maps claims to and from nats.jwt v2's JSON. */
final class JwtJson {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private JwtJson() {
    }

    static JwtClaims read(JsonNode root) {
        JsonNode nats = root.path("nats");
        String type = nats.path("type").asText("");
        Instant iat = Instant.ofEpochSecond(root.path("iat").asLong(0));
        String jti = root.path("jti").asText("");
        String iss = text(root, "iss");
        String sub = text(root, "sub");
        String name = root.path("name").asText("");
        Optional<Instant> exp = seconds(root, "exp");
        Optional<Instant> nbf = seconds(root, "nbf");
        return switch (type) {
            case "user" -> new JwtUserClaims(jti, iat, iss, sub, name, exp, nbf, optionalText(nats, "issuer_account"),
                    permissions(nats), limits(nats), nats.path("bearer_token").asBoolean(false),
                    strings(nats.path("allowed_connection_types")), strings(nats.path("src")), times(nats.path("times")),
                    optionalText(nats, "times_location"), strings(nats.path("tags")));
            case "account" -> new JwtAccountClaims(jti, iat, iss, sub, name, exp, nbf, signingKeys(nats),
                    revocations(nats.path("revocations")), limits(nats.path("limits")), imports(nats),
                    exports(nats), permissions(nats.path("default_permissions")), strings(nats.path("tags")));
            case "operator" -> new JwtOperatorClaims(jti, iat, iss, sub, name, exp, nbf,
                    strings(nats.path("signing_keys")), optionalText(nats, "system_account"),
                    optionalText(nats, "account_server_url"), nats.path("strict_signing_key_usage").asBoolean(false));
            case "activation" -> new JwtActivationClaims(jti, iat, iss, sub, name, exp, nbf, text(nats, "subject"),
                    nats.path("kind").asText("stream"), optionalText(nats, "issuer_account"));
            default -> throw new JwtException("unsupported JWT claim type '" + type + "'");
        };
    }

    /** The claims as JSON, without {@code jti} (which is the hash of this very JSON). */
    static ObjectNode write(JwtClaims claims) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("iat", claims.issuedAt().getEpochSecond());
        root.put("iss", claims.issuer());
        if (!claims.name().isEmpty()) {
            root.put("name", claims.name());
        }
        root.put("sub", claims.subject());
        claims.expires().ifPresent(t -> root.put("exp", t.getEpochSecond()));
        claims.notBefore().ifPresent(t -> root.put("nbf", t.getEpochSecond()));
        ObjectNode nats = root.putObject("nats");
        switch (claims) {
            case JwtUserClaims u -> writeUser(nats, u);
            case JwtAccountClaims a -> writeAccount(nats, a);
            case JwtOperatorClaims o -> writeOperator(nats, o);
            case JwtActivationClaims act -> {
                nats.put("subject", act.importSubject());
                nats.put("kind", act.importType());
                act.issuerAccount().ifPresent(a -> nats.put("issuer_account", a));
            }
        }
        nats.put("type", claims.type());
        nats.put("version", 2);
        return root;
    }

    private static void writeUser(ObjectNode nats, JwtUserClaims u) {
        writePermissions(nats, u.permissions());
        putStrings(nats, "src", u.sourceNetworks());
        if (!u.times().isEmpty()) {
            ArrayNode times = nats.putArray("times");
            u.times().forEach(t -> times.addObject().put("start", t.start().format(CLOCK)).put("end", t.end().format(CLOCK)));
        }
        u.timesLocation().ifPresent(l -> nats.put("times_location", l));
        nats.put("subs", u.limits().subs());
        nats.put("data", u.limits().data());
        nats.put("payload", u.limits().payload());
        if (u.bearerToken()) {
            nats.put("bearer_token", true);
        }
        putStrings(nats, "allowed_connection_types", u.allowedConnectionTypes());
        u.issuerAccount().ifPresent(a -> nats.put("issuer_account", a));
        putStrings(nats, "tags", u.tags());
    }

    private static void writeAccount(ObjectNode nats, JwtAccountClaims a) {
        if (!a.imports().isEmpty()) {
            ArrayNode imports = nats.putArray("imports");
            for (JwtImport i : a.imports()) {
                ObjectNode n = imports.addObject();
                putIfNotEmpty(n, "name", i.name());
                n.put("subject", i.subject());
                n.put("account", i.account());
                putIfNotEmpty(n, "token", i.token());
                putIfNotEmpty(n, "local_subject", i.localSubject());
                putIfNotEmpty(n, "to", i.to());
                n.put("type", i.type());
            }
        }
        if (!a.exports().isEmpty()) {
            ArrayNode exports = nats.putArray("exports");
            for (JwtExport e : a.exports()) {
                ObjectNode n = exports.addObject();
                putIfNotEmpty(n, "name", e.name());
                n.put("subject", e.subject());
                n.put("type", e.type());
                if (e.tokenRequired()) {
                    n.put("token_req", true);
                }
                putIfNotEmpty(n, "response_type", e.responseType());
                if (!e.revocations().isEmpty()) {
                    ObjectNode revoked = n.putObject("revocations");
                    e.revocations().forEach((k, t) -> revoked.put(k, t.getEpochSecond()));
                }
            }
        }
        ObjectNode limits = nats.putObject("limits");
        JwtLimits l = a.limits();
        limits.put("subs", l.subs()).put("data", l.data()).put("payload", l.payload())
                .put("imports", l.imports()).put("exports", l.exports()).put("wildcards", l.wildcards())
                .put("conn", l.conn()).put("leaf", l.leaf());
        if (l.jetStreamEnabled()) {
            limits.put("mem_storage", l.memStorage()).put("disk_storage", l.diskStorage())
                    .put("streams", l.streams()).put("consumer", l.consumer());
        }
        if (l.disallowBearer()) {
            limits.put("disallow_bearer", true);
        }
        if (!a.signingKeys().isEmpty()) {
            ArrayNode keys = nats.putArray("signing_keys");
            for (JwtSigningKey k : a.signingKeys()) {
                if (k.scope().isEmpty()) {
                    keys.add(k.key());
                } else {
                    JwtSigningKey.Scope s = k.scope().get();
                    ObjectNode scoped = keys.addObject().put("kind", "user_scope").put("key", k.key()).put("role", s.role());
                    ObjectNode template = scoped.putObject("template");
                    writePermissions(template, s.permissions());
                    template.put("subs", s.limits().subs()).put("data", s.limits().data())
                            .put("payload", s.limits().payload());
                }
            }
        }
        if (!a.revocations().isEmpty()) {
            ObjectNode revocations = nats.putObject("revocations");
            a.revocations().forEach((key, at) -> revocations.put(key, at.getEpochSecond()));
        }
        if (!a.defaultPermissions().equals(Permissions.ALL)) {
            writePermissions(nats.putObject("default_permissions"), a.defaultPermissions());
        }
        putStrings(nats, "tags", a.tags());
    }

    private static void writeOperator(ObjectNode nats, JwtOperatorClaims o) {
        putStrings(nats, "signing_keys", o.signingKeys());
        o.accountServerUrl().ifPresent(u -> nats.put("account_server_url", u));
        o.systemAccount().ifPresent(s -> nats.put("system_account", s));
        if (o.strictSigningKeyUsage()) {
            nats.put("strict_signing_key_usage", true);
        }
    }

    static Permissions permissions(JsonNode node) {
        JsonNode resp = node.path("resp");
        Optional<ResponsePermission> responses = resp.isObject()
                ? Optional.of(new ResponsePermission(resp.path("max").asInt(0), Duration.ofNanos(resp.path("ttl").asLong(0))))
                : Optional.empty();
        return new Permissions(subjectPermission(node.path("pub")), subjectPermission(node.path("sub")), responses);
    }

    private static SubjectPermission subjectPermission(JsonNode node) {
        return new SubjectPermission(strings(node.path("allow")), strings(node.path("deny")));
    }

    private static void writePermissions(ObjectNode target, Permissions p) {
        writeSubjectPermission(target, "pub", p.publish());
        writeSubjectPermission(target, "sub", p.subscribe());
        p.responses().ifPresent(r -> target.putObject("resp").put("max", r.maxMessages()).put("ttl", r.expires().toNanos()));
    }

    private static void writeSubjectPermission(ObjectNode target, String field, SubjectPermission p) {
        ObjectNode node = target.putObject(field);
        putStrings(node, "allow", p.allow());
        putStrings(node, "deny", p.deny());
    }

    private static JwtLimits limits(JsonNode n) {
        return new JwtLimits(n.path("subs").asLong(-1), n.path("data").asLong(-1), n.path("payload").asLong(-1),
                n.path("imports").asLong(-1), n.path("exports").asLong(-1), n.path("wildcards").asBoolean(true),
                n.path("conn").asLong(-1), n.path("leaf").asLong(-1), n.path("mem_storage").asLong(0),
                n.path("disk_storage").asLong(0), n.path("streams").asLong(0), n.path("consumer").asLong(0),
                n.path("disallow_bearer").asBoolean(false));
    }

    /** Signing keys are plain strings, or objects for scoped keys ({@code kind: user_scope}). */
    private static List<JwtSigningKey> signingKeys(JsonNode nats) {
        List<JwtSigningKey> keys = new ArrayList<>();
        for (JsonNode k : nats.path("signing_keys")) {
            if (k.isTextual()) {
                keys.add(JwtSigningKey.unscoped(k.asText()));
            } else if (k.isObject()) {
                JsonNode template = k.path("template");
                keys.add(new JwtSigningKey(text(k, "key"), Optional.of(new JwtSigningKey.Scope(
                        k.path("role").asText(""), permissions(template), limits(template)))));
            }
        }
        return keys;
    }

    private static Map<String, Instant> revocations(JsonNode node) {
        Map<String, Instant> out = new LinkedHashMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), Instant.ofEpochSecond(e.getValue().asLong())));
        return out;
    }

    private static List<JwtImport> imports(JsonNode nats) {
        List<JwtImport> out = new ArrayList<>();
        for (JsonNode i : nats.path("imports")) {
            out.add(new JwtImport(i.path("name").asText(""), text(i, "subject"), text(i, "account"),
                    i.path("local_subject").asText(""), i.path("type").asText("stream"), i.path("token").asText(""),
                    i.path("to").asText("")));
        }
        return out;
    }

    private static List<JwtExport> exports(JsonNode nats) {
        List<JwtExport> out = new ArrayList<>();
        for (JsonNode e : nats.path("exports")) {
            out.add(new JwtExport(e.path("name").asText(""), text(e, "subject"), e.path("type").asText("stream"),
                    e.path("token_req").asBoolean(false), e.path("response_type").asText(""),
                    revocations(e.path("revocations"))));
        }
        return out;
    }

    private static List<JwtTimeRange> times(JsonNode node) {
        List<JwtTimeRange> out = new ArrayList<>();
        for (JsonNode t : node) {
            try {
                out.add(new JwtTimeRange(LocalTime.parse(text(t, "start"), CLOCK), LocalTime.parse(text(t, "end"), CLOCK)));
            } catch (DateTimeParseException e) {
                throw new JwtException("invalid time range in user JWT", e);
            }
        }
        return out;
    }

    /** A string array, or (as older JWTs wrote {@code src}) one comma-separated string. */
    private static List<String> strings(JsonNode node) {
        if (node.isTextual()) {
            return Arrays.stream(node.asText().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        }
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static void putStrings(ObjectNode node, String field, List<String> values) {
        if (!values.isEmpty()) {
            ArrayNode array = node.putArray(field);
            values.forEach(array::add);
        }
    }

    private static void putIfNotEmpty(ObjectNode node, String field, String value) {
        if (!value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new JwtException("JWT claim '" + field + "' is missing");
        }
        return v.asText();
    }

    private static Optional<String> optionalText(JsonNode node, String field) {
        return Optional.ofNullable(node.get(field)).filter(JsonNode::isTextual).map(JsonNode::asText).filter(s -> !s.isEmpty());
    }

    private static Optional<Instant> seconds(JsonNode node, String field) {
        long v = node.path(field).asLong(0);
        return v > 0 ? Optional.of(Instant.ofEpochSecond(v)) : Optional.empty();
    }
}
