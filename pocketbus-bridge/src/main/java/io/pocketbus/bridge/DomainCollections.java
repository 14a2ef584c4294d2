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

    static final String MEMBER_OF_GROUP = "@request.auth.groups.id ?= group";
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
        c.setListRule(Optional.of("@request.auth.groups.id ?= id"));
        c.setViewRule(Optional.of("@request.auth.groups.id ?= id"));
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
        c.setListRule(Optional.of(MEMBER_OF_GROUP));
        c.setViewRule(Optional.of(MEMBER_OF_GROUP));
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
        status.putArray("values").add(Invitations.PENDING).add(Invitations.ACCEPTED).add(Invitations.DECLINED);
        c.addField(Field.fromJson(status));
        c.addField(field("date", "expires"));
        // the invitee sees their own invitations; members see their group's
        String rule = MEMBER_OF_GROUP + " || (@request.auth.id != '' && email = @request.auth.email)";
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
        c.setListRule(Optional.of(MEMBER_OF_GROUP));
        c.setViewRule(Optional.of(MEMBER_OF_GROUP));
        app.save(c);
    }

    /** Adds mygroup/groups to users and keeps users from setting either through the API. */
    private static void extendUsers(App app, String groupsId) {
        Collection users = app.findCollectionByNameOrId(USERS).orElseThrow().copy();
        if (users.field("mygroup").isPresent()) {
            return;
        }
        users.addField(relation("mygroup", groupsId, false, 1, false));
        users.addField(relation("groups", groupsId, false, 0, false));
        String untouched = "@request.body.mygroup:isset = false && @request.body.groups:isset = false";
        users.setCreateRule(Optional.of(users.createRule().map(r -> r.isBlank() ? untouched
                : "(" + r + ") && " + untouched).orElse(untouched)));
        users.updateRule().ifPresent(r -> users.setUpdateRule(Optional.of(
                r.isBlank() ? untouched : "(" + r + ") && " + untouched)));
        app.save(users);
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
