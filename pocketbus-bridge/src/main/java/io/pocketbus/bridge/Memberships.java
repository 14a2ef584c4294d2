package io.pocketbus.bridge;

import static io.pocketbus.bridge.DomainCollections.USERS;

import io.pocketbus.core.App;
import io.pocketbus.core.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A user's role in a group, as the user record keeps it: {@code groups} holds the groups they are a full
 * member of (owner included), {@code viewing} the groups they only view. The two are kept disjoint, so a
 * rule can tell the roles apart without negation.
 */
final class Memberships {
    static final String MEMBER_FIELD = "groups";
    static final String VIEWER_FIELD = "viewing";

    private Memberships() {
    }

    static Optional<ProjectRole> roleOf(App app, String userId, String groupId) {
        return app.findRecordById(USERS, userId).flatMap(u -> roleOf(u, groupId));
    }

    static Optional<ProjectRole> roleOf(Record user, String groupId) {
        if (user.getStringList(MEMBER_FIELD).contains(groupId)) {
            return Optional.of(ProjectRole.MEMBER);
        }
        if (user.getStringList(VIEWER_FIELD).contains(groupId)) {
            return Optional.of(ProjectRole.VIEWER);
        }
        return Optional.empty();
    }

    /** Gives the user this role in the group (moving them from the other one), unsaved. */
    static void setRole(Record user, String groupId, ProjectRole role) {
        drop(user, groupId);
        String field = role == ProjectRole.MEMBER ? MEMBER_FIELD : VIEWER_FIELD;
        List<String> ids = new ArrayList<>(user.getStringList(field));
        ids.add(groupId);
        user.set(field, ids);
    }

    /** Takes the group out of both of the user's lists, unsaved. */
    static void drop(Record user, String groupId) {
        for (String field : List.of(MEMBER_FIELD, VIEWER_FIELD)) {
            List<String> ids = new ArrayList<>(user.getStringList(field));
            if (ids.remove(groupId)) {
                user.set(field, ids);
            }
        }
    }

    /** The role's name in the API and in invitations. */
    static String name(ProjectRole role) {
        return role == ProjectRole.MEMBER ? Invitations.ROLE_MEMBER : Invitations.ROLE_VIEWER;
    }

    static Optional<ProjectRole> parse(String name) {
        return switch (name) {
            case Invitations.ROLE_MEMBER -> Optional.of(ProjectRole.MEMBER);
            case Invitations.ROLE_VIEWER -> Optional.of(ProjectRole.VIEWER);
            default -> Optional.empty();
        };
    }
}
