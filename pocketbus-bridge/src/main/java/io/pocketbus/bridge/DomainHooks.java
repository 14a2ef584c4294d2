package io.pocketbus.bridge;

import static io.pocketbus.bridge.DomainCollections.GROUPS;
import static io.pocketbus.bridge.DomainCollections.USERS;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Record;
import io.pocketbus.core.ValidationError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The membership invariants as record hooks, so they hold on every write path (REST, batch, SDK, server code):
 * a user gets a personal group in the same transaction; a group's owner is a member; ownership only moves to a
 * member; an owner never drops out of their group (nor becomes its viewer); a user does not both belong to and
 * view a group; a personal group is not deleted while its owner exists.
 */
public final class DomainHooks {
    private DomainHooks() {
    }

    public static void register(App app) {
        app.onRecordCreate(USERS).bindFunc(e -> {
            e.next();
            Record user = e.record();
            Record group = new Record(app.findCollectionByNameOrId(GROUPS).orElseThrow());
            String name = user.getString("name");
            group.set("name", name.isBlank() ? "Personal" : name);
            group.set("owner", user.id());
            group.set("personal", true);
            app.save(group);
            Record stored = app.findRecordById(user.collection(), user.id()).orElseThrow();
            stored.set("mygroup", group.id());
            app.save(stored);
            // the caller's copy answers the request: show it as stored
            user.set("mygroup", group.id());
            user.set("groups", stored.getStringList("groups"));
        });

        app.onRecordCreate(GROUPS).bindFunc(e -> {
            e.next();
            Record group = e.record();
            Record owner = app.findRecordById(USERS, group.getString("owner")).orElseThrow();
            List<String> groups = new ArrayList<>(owner.getStringList("groups"));
            if (!groups.contains(group.id())) {
                groups.add(group.id());
                owner.set("groups", groups);
                app.save(owner);
            }
        });

        app.onRecordUpdate(GROUPS).bindFunc(e -> {
            Record group = e.record();
            if (!Objects.equals(group.getBool("personal"), Boolean.TRUE.equals(group.original("personal")))) {
                throw fieldError("personal", "validation_personal_fixed", "Whether a group is personal cannot change.");
            }
            String owner = group.getString("owner");
            if (!owner.equals(String.valueOf(group.original("owner"))) && !isMember(app, owner, group.id())) {
                throw fieldError("owner", "validation_not_member", "The new owner must be a member of the group.");
            }
            e.next();
        });

        app.onRecordDelete(GROUPS).bindFunc(e -> {
            Record group = e.record();
            if (group.getBool("personal") && app.findRecordById(USERS, group.getString("owner")).isPresent()) {
                throw ApiError.badRequest("A personal group cannot be deleted.");
            }
            e.next();
        });

        app.onRecordUpdate(USERS).bindFunc(e -> {
            Record user = e.record();
            List<String> now = user.getStringList("groups");
            if (user.getStringList(Memberships.VIEWER_FIELD).stream().anyMatch(now::contains)) {
                throw fieldError(Memberships.VIEWER_FIELD, "validation_member_and_viewer",
                        "A user is either a member or a viewer of a group, not both.");
            }
            for (String left : originalList(user.original("groups"))) {
                if (!now.contains(left) && ownerOf(app, left).equals(user.id())) {
                    throw fieldError("groups", "validation_owner_cannot_leave",
                            "The owner cannot leave their group; transfer the ownership first.");
                }
            }
            e.next();
        });
    }

    static boolean isMember(App app, String userId, String groupId) {
        return app.findRecordById(USERS, userId).map(u -> u.getStringList("groups").contains(groupId))
                .orElse(false);
    }

    private static String ownerOf(App app, String groupId) {
        return app.findRecordById(GROUPS, groupId).map(g -> g.getString("owner")).orElse("");
    }

    static List<String> originalList(Object original) {
        if (original instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return original == null || String.valueOf(original).isEmpty() ? List.of() : List.of(String.valueOf(original));
    }

    static ApiError fieldError(String field, String code, String message) {
        return ApiError.badRequest("Failed to save the record.", Map.of(field, ValidationError.of(code, message)));
    }
}
