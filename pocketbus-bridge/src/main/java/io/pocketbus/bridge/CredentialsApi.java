package io.pocketbus.bridge;

import static io.pocketbus.bridge.DomainCollections.PROJECTS;
import static io.pocketbus.bridge.DomainCollections.USERS;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Record;
import io.pocketbus.core.ValidationError;
import io.pocketbus.http.RequestEvent;
import io.pocketbus.http.RouterGroup;
import io.pocketbus.tools.types.DateTime;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * NATS credentials for a project's members: a short-lived member credential (JWT + seed, for nats.ws in a
 * browser) with the permissions of the user's role in the group, and named, scoped service credentials
 * (created, listed, revoked; the {@code .creds} file is given once, at creation, since seeds are never stored).
 * Only members and viewers of the project's group get past 404; viewers list service credentials but neither
 * create nor revoke them (403).
 */
final class CredentialsApi {
    private CredentialsApi() {
    }

    static void bind(RouterGroup router, ProjectAccounts accounts) {
        RouterGroup api = router.group("/api/pocketbus/projects/{id}");
        api.post("/credentials", e -> memberCredentials(e, accounts));
        api.post("/service-credentials", e -> createService(e, accounts));
        api.get("/service-credentials", e -> listService(e, accounts));
        api.delete("/service-credentials/{credentialId}", e -> revokeService(e, accounts));
    }

    private static void memberCredentials(RequestEvent e, ProjectAccounts accounts) {
        Record user = signedInUser(e);
        Record project = visibleProject(e, user);
        ProjectRole role = Memberships.roleOf(e.app(), user.id(), project.getString("group")).orElseThrow();
        IssuedCredential c = accounts.issueMemberCredentials(project.id(), user.id(), role);
        Map<String, Object> out = info(c.info());
        out.put("role", Memberships.name(role));
        out.put("account", accounts.accountPublicKey(project.id()).orElse(""));
        out.put("jwt", c.jwt());
        out.put("seed", c.seed());
        e.json(200, out);
    }

    private static void createService(RequestEvent e, ProjectAccounts accounts) {
        App app = e.app();
        Record user = signedInUser(e);
        Record project = memberProject(e, user);
        Map<String, Object> body = e.bindBody();
        String name = String.valueOf(body.getOrDefault("name", "")).trim();
        if (name.isEmpty()) {
            throw fieldError("name", "validation_required", "Cannot be blank.");
        }
        CredentialScope scope;
        try {
            scope = CredentialScope.builder()
                    .publish(strings(body.get("publishAllow")), strings(body.get("publishDeny")))
                    .subscribe(strings(body.get("subscribeAllow")), strings(body.get("subscribeDeny")))
                    .build();
        } catch (IllegalArgumentException ex) {
            throw fieldError("scope", "validation_invalid_subject", ex.getMessage());
        }
        Optional<Instant> expires = Optional.empty();
        String rawExpires = String.valueOf(body.getOrDefault("expires", "")).trim();
        if (!rawExpires.isEmpty()) {
            expires = Optional.of(DateTime.parse(rawExpires).map(DateTime::instant)
                    .filter(t -> t.isAfter(Instant.now()))
                    .orElseThrow(() -> fieldError("expires", "validation_invalid_date", "Must be a future date.")));
        }
        IssuedCredential c = accounts.createServiceCredential(project.id(), name, scope, expires);
        Activities.write(app, project.getString("group"), user.id(), "credential.created", c.info().id());
        if (e.queryParam("download").isPresent()) {
            e.setHeader("Content-Disposition", "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_")
                    + ".creds\"");
            e.blob(200, "application/octet-stream", c.credsFile().getBytes(StandardCharsets.UTF_8));
            return;
        }
        Map<String, Object> out = info(c.info());
        out.put("jwt", c.jwt());
        out.put("seed", c.seed());
        out.put("creds", c.credsFile());
        e.json(200, out);
    }

    private static void listService(RequestEvent e, ProjectAccounts accounts) {
        Record project = visibleProject(e, signedInUser(e));
        List<Map<String, Object>> items = accounts.listCredentials(project.id()).stream()
                .filter(i -> i.kind() == CredentialInfo.Kind.SERVICE).map(CredentialsApi::info).toList();
        e.json(200, Map.of("items", items));
    }

    private static void revokeService(RequestEvent e, ProjectAccounts accounts) {
        Record user = signedInUser(e);
        Record project = memberProject(e, user);
        String credentialId = e.pathParam("credentialId");
        boolean known = accounts.listCredentials(project.id()).stream()
                .anyMatch(i -> i.kind() == CredentialInfo.Kind.SERVICE && i.id().equals(credentialId));
        if (!known || !accounts.revoke(project.id(), credentialId)) {
            throw ApiError.notFound("The requested resource wasn't found.");
        }
        Activities.write(e.app(), project.getString("group"), user.id(), "credential.revoked", credentialId);
        e.noContent(204);
    }

    private static Map<String, Object> info(CredentialInfo i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("kind", i.kind().name().toLowerCase(java.util.Locale.ROOT));
        m.put("name", i.name());
        m.put("issued", i.issuedAt().toString());
        m.put("expires", i.expires().map(Instant::toString).orElse(""));
        m.put("revoked", i.revokedAt().map(Instant::toString).orElse(""));
        i.scope().ifPresent(s -> {
            m.put("publishAllow", s.publishAllow());
            m.put("publishDeny", s.publishDeny());
            m.put("subscribeAllow", s.subscribeAllow());
            m.put("subscribeDeny", s.subscribeDeny());
        });
        return m;
    }

    private static List<String> strings(Object raw) {
        if (raw instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return raw == null || String.valueOf(raw).isBlank() ? List.of() : List.of(String.valueOf(raw));
    }

    private static Record signedInUser(RequestEvent e) {
        return e.auth().filter(a -> a.collection().name().equals(USERS))
                .orElseThrow(() -> ApiError.unauthorized("The request requires valid record authorization token."));
    }

    /** The project, if the user is a member or a viewer of its group; otherwise 404, as its view rule would. */
    private static Record visibleProject(RequestEvent e, Record user) {
        return e.app().findRecordById(PROJECTS, e.pathParam("id"))
                .filter(p -> Memberships.roleOf(e.app(), user.id(), p.getString("group")).isPresent())
                .orElseThrow(() -> ApiError.notFound("The requested resource wasn't found."));
    }

    /** The project, if the user is a full member of its group; a viewer gets 403, anyone else 404. */
    private static Record memberProject(RequestEvent e, Record user) {
        Record project = visibleProject(e, user);
        if (Memberships.roleOf(e.app(), user.id(), project.getString("group")).orElseThrow() != ProjectRole.MEMBER) {
            throw ApiError.forbidden("Only the group's members can manage the project's credentials.");
        }
        return project;
    }

    private static ApiError fieldError(String field, String code, String message) {
        return ApiError.badRequest("An error occurred while validating the submitted data.",
                Map.of(field, ValidationError.of(code, message)));
    }
}
