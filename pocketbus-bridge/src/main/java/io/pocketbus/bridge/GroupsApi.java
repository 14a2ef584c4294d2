package io.pocketbus.bridge;

import static io.pocketbus.bridge.DomainCollections.GROUPS;
import static io.pocketbus.bridge.DomainCollections.INVITATIONS;
import static io.pocketbus.bridge.DomainCollections.USERS;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.MailClient;
import io.pocketbus.core.Record;
import io.pocketbus.core.Settings;
import io.pocketbus.core.ValidationError;
import io.pocketbus.http.RequestEvent;
import io.pocketbus.http.RouterGroup;
import io.pocketbus.tools.mailer.MailAddress;
import io.pocketbus.tools.mailer.MailMessage;
import io.pocketbus.tools.types.DateTime;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What plain record CRUD cannot express: invitations (invite with a role, accept, decline), changing a member's
 * role, removing a member, leaving, and transferring ownership, under {@code /api/pocketbus}. Each change runs
 * in one transaction with its activity. A group the caller neither is a member of nor views answers 404, as a
 * record the view rule hides would.
 */
final class GroupsApi {
    static final Duration INVITATION_TTL = Duration.ofDays(7);
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private GroupsApi() {
    }

    static void bind(RouterGroup router) {
        RouterGroup api = router.group("/api/pocketbus");
        api.post("/groups/{id}/invitations", GroupsApi::invite);
        api.post("/invitations/{id}/accept", e -> answer(e, true));
        api.post("/invitations/{id}/decline", e -> answer(e, false));
        api.delete("/groups/{id}/members/{userId}", GroupsApi::removeMember);
        api.post("/groups/{id}/members/{userId}/role", GroupsApi::changeRole);
        api.post("/groups/{id}/leave", GroupsApi::leave);
        api.post("/groups/{id}/transfer", GroupsApi::transfer);
    }

    private static void invite(RequestEvent e) {
        App app = e.app();
        Record user = signedInUser(e);
        Record group = ownedGroup(e, user);
        Map<String, Object> body = e.bindBody();
        String email = String.valueOf(body.getOrDefault("email", "")).trim().toLowerCase(Locale.ROOT);
        if (!EMAIL.matcher(email).matches()) {
            throw fieldError("email", "validation_is_email", "Must be a valid email address.");
        }
        ProjectRole role = role(body, Invitations.ROLE_MEMBER);
        boolean alreadyMember = app.findAuthRecordByEmail(USERS, email)
                .flatMap(u -> Memberships.roleOf(u, group.id())).isPresent();
        if (alreadyMember) {
            throw fieldError("email", "validation_already_member", "The user is already a member of the group.");
        }
        Record invitation = app.callInTransaction(tx -> {
            Record inv = new Record(app.findCollectionByNameOrId(INVITATIONS).orElseThrow());
            inv.set("group", group.id());
            inv.set("email", email);
            inv.set("invitedBy", user.id());
            inv.set("status", Invitations.PENDING);
            inv.set("role", Memberships.name(role));
            inv.set("expires", DateTime.now().plusSeconds(INVITATION_TTL.toSeconds()).toString());
            app.save(inv);
            Activities.write(app, group.id(), user.id(), "invited", email);
            return inv;
        });
        sendInvitationMail(app, group, user, invitation);
        e.json(200, invitation.toJson());
    }

    private static void answer(RequestEvent e, boolean accept) {
        App app = e.app();
        Record user = signedInUser(e);
        Record invitation = app.findRecordById(INVITATIONS, e.pathParam("id"))
                .filter(inv -> inv.getString("email").equalsIgnoreCase(user.email()))
                .orElseThrow(() -> ApiError.notFound("The requested resource wasn't found."));
        if (Invitations.EXPIRED.equals(invitation.getString("status"))) {
            throw ApiError.badRequest("The invitation has expired.");
        }
        if (!Invitations.PENDING.equals(invitation.getString("status"))) {
            throw ApiError.badRequest("The invitation was already answered.");
        }
        if (DateTime.parse(invitation.getString("expires")).map(x -> x.isBefore(DateTime.now())).orElse(true)) {
            // remembered, so the group's owner sees why nobody joined
            invitation.set("status", Invitations.EXPIRED);
            app.save(invitation);
            throw ApiError.badRequest("The invitation has expired.");
        }
        String groupId = invitation.getString("group");
        // invitations stored before roles existed have none: they were for full members
        ProjectRole role = Memberships.parse(invitation.getString("role")).orElse(ProjectRole.MEMBER);
        app.runInTransaction(tx -> {
            invitation.set("status", accept ? Invitations.ACCEPTED : Invitations.DECLINED);
            app.save(invitation);
            if (accept) {
                Record member = app.findRecordById(USERS, user.id()).orElseThrow();
                if (Memberships.roleOf(member, groupId).isEmpty()) {
                    Memberships.setRole(member, groupId, role);
                    app.save(member);
                }
            }
            Activities.write(app, groupId, user.id(), accept ? "joined" : "declined", user.id());
        });
        e.json(200, invitation.toJson());
    }

    private static void removeMember(RequestEvent e) {
        Record owner = signedInUser(e);
        Record group = ownedGroup(e, owner);
        String userId = e.pathParam("userId");
        if (userId.equals(owner.id())) {
            throw ApiError.badRequest("The owner cannot be removed; transfer the ownership first.");
        }
        dropMember(e.app(), group, userId, owner.id(), "removed");
        e.noContent(204);
    }

    /** The owner makes a member a viewer or a viewer a member; the owner's own role is always member. */
    private static void changeRole(RequestEvent e) {
        App app = e.app();
        Record owner = signedInUser(e);
        Record group = ownedGroup(e, owner);
        String userId = e.pathParam("userId");
        ProjectRole role = role(e.bindBody(), "");
        if (userId.equals(owner.id())) {
            throw ApiError.badRequest("The owner's role cannot change; transfer the ownership first.");
        }
        app.runInTransaction(tx -> {
            Record member = app.findRecordById(USERS, userId)
                    .filter(u -> Memberships.roleOf(u, group.id()).isPresent())
                    .orElseThrow(() -> ApiError.notFound("The user is not a member of the group."));
            if (Memberships.roleOf(member, group.id()).orElseThrow() != role) {
                Memberships.setRole(member, group.id(), role);
                app.save(member);
                Activities.write(app, group.id(), owner.id(), "role." + Memberships.name(role), userId);
            }
        });
        e.json(200, Map.of("user", userId, "group", group.id(), "role", Memberships.name(role)));
    }

    private static ProjectRole role(Map<String, Object> body, String otherwise) {
        String name = String.valueOf(body.getOrDefault("role", otherwise)).trim();
        return Memberships.parse(name.isEmpty() ? otherwise : name).orElseThrow(() -> fieldError("role",
                "validation_invalid_value", "Must be " + Invitations.ROLE_MEMBER + " or " + Invitations.ROLE_VIEWER + "."));
    }

    private static void leave(RequestEvent e) {
        Record user = signedInUser(e);
        Record group = memberGroup(e, user);
        if (group.getString("owner").equals(user.id())) {
            throw ApiError.badRequest("The owner cannot leave the group; transfer the ownership first.");
        }
        dropMember(e.app(), group, user.id(), user.id(), "left");
        e.noContent(204);
    }

    private static void dropMember(App app, Record group, String userId, String actorId, String verb) {
        app.runInTransaction(tx -> {
            Record member = app.findRecordById(USERS, userId)
                    .filter(u -> Memberships.roleOf(u, group.id()).isPresent())
                    .orElseThrow(() -> ApiError.notFound("The user is not a member of the group."));
            Memberships.drop(member, group.id());
            if (group.id().equals(member.getString("mygroup"))) {
                member.set("mygroup", "");
            }
            app.save(member);
            Activities.write(app, group.id(), actorId, verb, userId);
        });
    }

    private static void transfer(RequestEvent e) {
        App app = e.app();
        Record owner = signedInUser(e);
        Record group = ownedGroup(e, owner);
        String newOwner = String.valueOf(e.bindBody().getOrDefault("owner", ""));
        if (newOwner.equals(owner.id())) {
            throw fieldError("owner", "validation_same_owner", "The user already owns the group.");
        }
        if (!DomainHooks.isMember(app, newOwner, group.id())) {
            throw fieldError("owner", "validation_not_member", "The new owner must be a member of the group.");
        }
        app.runInTransaction(tx -> {
            group.set("owner", newOwner);
            app.save(group);
            Activities.write(app, group.id(), owner.id(), "transferred", newOwner);
        });
        e.json(200, group.toJson());
    }

    private static Record signedInUser(RequestEvent e) {
        return e.auth().filter(a -> a.collection().name().equals(USERS))
                .orElseThrow(() -> ApiError.unauthorized("The request requires valid record authorization token."));
    }

    /** The group, if the user is a member or views it; otherwise 404, as for a record hidden by its view rule. */
    private static Record memberGroup(RequestEvent e, Record user) {
        String id = e.pathParam("id");
        return e.app().findRecordById(GROUPS, id)
                .filter(g -> Memberships.roleOf(e.app(), user.id(), g.id()).isPresent())
                .orElseThrow(() -> ApiError.notFound("The requested resource wasn't found."));
    }

    private static Record ownedGroup(RequestEvent e, Record user) {
        Record group = memberGroup(e, user);
        if (!group.getString("owner").equals(user.id())) {
            throw ApiError.forbidden("Only the group's owner can perform this action.");
        }
        return group;
    }

    private static void sendInvitationMail(App app, Record group, Record inviter, Record invitation) {
        Settings s = app.settings();
        String link = s.appURL() + "/_/#/invitations/" + invitation.id();
        String html = "<p>Hello,</p><p>" + escape(inviter.email()) + " invited you to join the group <strong>"
                + escape(group.getString("name")) + "</strong> on " + escape(s.appName()) + ".</p>"
                + "<p>Invitation id: " + invitation.id() + "</p><p><a href=\"" + escape(link) + "\">"
                + "Open the invitation</a></p>";
        MailClient.of(s).send(MailMessage.html(new MailAddress(s.senderName(), s.senderAddress()),
                new MailAddress("", invitation.getString("email")),
                "Invitation to join " + group.getString("name"), html));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static ApiError fieldError(String field, String code, String message) {
        return ApiError.badRequest("An error occurred while validating the submitted data.",
                Map.of(field, ValidationError.of(code, message)));
    }
}
