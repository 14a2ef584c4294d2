package io.pocketbus.bridge;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.CollectionType;
import io.pocketbus.core.Field;
import io.pocketbus.core.Scaffolds;
import java.util.Optional;

/**
 * The Pocketbus system collections (groups, projects, invitations, activities, and the membership fields of
 * users), created by the first start and left alone afterwards. API rules here are half of the guard; the other
 * half are the server-side hooks of {@link DomainHooks}, which hold on every write path.
 */
public final class DomainCollections {
    public static final String USERS = "users";
    public static final String GROUPS = "groups";
    public static final String PROJECTS = "projects";
    public static final String INVITATIONS = "invitations";
    public static final String ACTIVITIES = "activities";

    /** The signed-in user is a full member of the record's group: creates and changes its projects. */
    static final String MEMBER_OF_GROUP = "@request.auth.groups.id ?= group";
    /** Members and viewers both see a group's projects, activities and invitations. */
    static final String SEES_GROUP = MEMBER_OF_GROUP + " || @request.auth.viewing.id ?= group";
    /**
     * Users see their own record and those of the users they share a group with, whatever the role; the
     * email only where {@code emailVisibility} allows, as for any auth record. Only a user qualifies: for a
     * guest or another auth collection the membership lists are empty, and two empty lists compare equal.
     */
    static final String SHARES_A_GROUP = "id = @request.auth.id || (@request.auth.collectionName = 'users'"
            + " && (@request.auth.groups.id ?= groups.id || @request.auth.groups.id ?= viewing.id"
            + " || @request.auth.viewing.id ?= groups.id"
            + " || (viewing:length > 0 && @request.auth.viewing.id ?= viewing.id)))";
    private static final ObjectMapper JSON = new ObjectMapper();

    private DomainCollections() {
    }

    /** Creates whatever of the domain collections is missing; idempotent, so it runs on every start. */
    public static void ensure(App app) {
        Collection users = app.findCollectionByNameOrId(USERS)
                .orElseThrow(() -> new IllegalStateException("the users collection is missing"));
        app.runInTransaction(tx -> {
            String groupsId = app.findCollectionByNameOrId(GROUPS).map(Collection::id)
                    .orElseGet(() -> createGroups(app, users.id()));
            if (app.findCollectionByNameOrId(PROJECTS).isEmpty()) {
                createProjects(app, groupsId);
            }
            if (app.findCollectionByNameOrId(INVITATIONS).isEmpty()) {
                createInvitations(app, groupsId, users.id());
            }
            if (app.findCollectionByNameOrId(ACTIVITIES).isEmpty()) {
                createActivities(app, groupsId, users.id());
            }
            extendUsers(app, groupsId);
        });
    }

    private static String createGroups(App app, String usersId) {
        Collection c = base(GROUPS);
        c.addField(text("name", true, 255));
        c.addField(relation("owner", usersId, true, 1, true));
        c.addField(field("bool", "personal"));
        String seesGroup = "@request.auth.groups.id ?= id || @request.auth.viewing.id ?= id";
        c.setListRule(Optional.of(seesGroup));
        c.setViewRule(Optional.of(seesGroup));
        c.setCreateRule(Optional.of("@request.auth.collectionName = 'users' && owner = @request.auth.id"
                + " && @request.body.personal:isset = false"));
        c.setUpdateRule(Optional.of("owner = @request.auth.id && @request.body.owner:isset = false"
                + " && @request.body.personal:isset = false"));
        c.setDeleteRule(Optional.of("owner = @request.auth.id"));
        app.save(c);
        return c.id();
    }

    private static void createProjects(App app, String groupsId) {
        Collection c = base(PROJECTS);
        c.addField(text("name", true, 255));
        c.addField(relation("group", groupsId, true, 1, true));
        c.addField(text("description", false, 5000));
        for (String limit : ProjectSettings.LIMIT_FIELDS) {
            c.addField(number(limit));
        }
        // viewers see the projects; only full members create, change and delete them
        c.setListRule(Optional.of(SEES_GROUP));
        c.setViewRule(Optional.of(SEES_GROUP));
        c.setCreateRule(Optional.of(MEMBER_OF_GROUP));
        c.setUpdateRule(Optional.of(MEMBER_OF_GROUP + " && @request.body.group:isset = false"));
        c.setDeleteRule(Optional.of(MEMBER_OF_GROUP));
        app.save(c);
    }

    private static void createInvitations(App app, String groupsId, String usersId) {
        Collection c = base(INVITATIONS);
        c.addField(relation("group", groupsId, true, 1, true));
        ObjectNode email = node("email", "email");
        email.put("required", true);
        c.addField(Field.fromJson(email));
        c.addField(relation("invitedBy", usersId, false, 1, false));
        ObjectNode status = node("select", "status");
        status.put("required", true);
        status.put("maxSelect", 1);
        status.putArray("values").add(Invitations.PENDING).add(Invitations.ACCEPTED).add(Invitations.DECLINED)
                .add(Invitations.EXPIRED);
        c.addField(Field.fromJson(status));
        c.addField(field("date", "expires"));
        ObjectNode role = node("select", "role");
        role.put("required", true);
        role.put("maxSelect", 1);
        role.putArray("values").add(Invitations.ROLE_MEMBER).add(Invitations.ROLE_VIEWER);
        c.addField(Field.fromJson(role));
        // the invitee sees their own invitations; members and viewers see their group's
        String rule = SEES_GROUP + " || (@request.auth.id != '' && email = @request.auth.email)";
        c.setListRule(Optional.of(rule));
        c.setViewRule(Optional.of(rule));
        app.save(c);
    }

    private static void createActivities(App app, String groupsId, String usersId) {
        Collection c = base(ACTIVITIES);
        c.addField(relation("group", groupsId, true, 1, true));
        c.addField(relation("actor", usersId, false, 1, false));
        c.addField(text("verb", true, 64));
        c.addField(text("target", false, 255));
        c.setListRule(Optional.of(SEES_GROUP));
        c.setViewRule(Optional.of(SEES_GROUP));
        app.save(c);
    }

    /**
     * Adds mygroup, groups (full memberships) and viewing (the groups the user views) to users, keeps users
     * from setting any of them through the API, and lets them see the users they share a group with.
     */
    private static void extendUsers(App app, String groupsId) {
        Collection users = app.findCollectionByNameOrId(USERS).orElseThrow().copy();
        if (users.field("viewing").isPresent()) {
            return;
        }
        String untouched = "@request.body.viewing:isset = false";
        if (users.field("mygroup").isEmpty()) {
            users.addField(relation("mygroup", groupsId, false, 1, false));
            users.addField(relation("groups", groupsId, false, 0, false));
            untouched = "@request.body.mygroup:isset = false && @request.body.groups:isset = false && " + untouched;
        }
        users.addField(relation("viewing", groupsId, false, 0, false));
        users.setCreateRule(Optional.of(guarded(users.createRule(), untouched)));
        if (users.updateRule().isPresent()) {
            users.setUpdateRule(Optional.of(guarded(users.updateRule(), untouched)));
        }
        users.setListRule(Optional.of(seesToo(users.listRule())));
        users.setViewRule(Optional.of(seesToo(users.viewRule())));
        app.save(users);
    }

    private static String guarded(Optional<String> rule, String clause) {
        return rule.filter(r -> !r.isBlank()).map(r -> "(" + r + ") && " + clause).orElse(clause);
    }

    /** A locked rule (superusers only) becomes the fellow members' rule; an open one stays open. */
    private static String seesToo(Optional<String> rule) {
        return rule.map(r -> r.isBlank() ? r : "(" + r + ") || " + SHARES_A_GROUP).orElse(SHARES_A_GROUP);
    }

    private static Collection base(String name) {
        Collection c = Scaffolds.newBase(name);
        c.setId(Collection.defaultId(CollectionType.BASE, name));
        c.setSystem(true);
        return c;
    }

    private static ObjectNode node(String type, String name) {
        ObjectNode n = JSON.createObjectNode();
        n.put("type", type);
        n.put("name", name);
        n.put("id", Field.defaultId(type, name));
        return n;
    }

    private static Field field(String type, String name) {
        return Field.fromJson(node(type, name));
    }

    private static Field text(String name, boolean required, int max) {
        ObjectNode n = node("text", name);
        n.put("required", required);
        n.put("max", max);
        return Field.fromJson(n);
    }

    private static Field number(String name) {
        ObjectNode n = node("number", name);
        n.put("onlyInt", true);
        n.put("min", 0);
        return Field.fromJson(n);
    }

    /** maxSelect 0 means many. */
    private static Field relation(String name, String collectionId, boolean required, int maxSelect,
            boolean cascadeDelete) {
        ObjectNode n = node("relation", name);
        n.put("collectionId", collectionId);
        n.put("required", required);
        n.put("cascadeDelete", cascadeDelete);
        n.put("minSelect", 0);
        if (maxSelect > 0) {
            n.put("maxSelect", maxSelect);
        } else {
            n.put("maxSelect", 999);
        }
        return Field.fromJson(n);
    }
}
