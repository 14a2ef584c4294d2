package io.pocketbus.bridge;

import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.util.List;
import java.util.Optional;

/**
 * What a group member may do in a project's account with the credentials issued to them; the one place
 * where roles become NATS permissions. The server's own {@code $SYS} subjects are never open to members.
 */
public enum ProjectRole {

    /** Publish, subscribe, request and reply on every subject of the project (JetStream included). */
    MEMBER(new Permissions(new SubjectPermission(List.of(), List.of("$SYS.>")),
            new SubjectPermission(List.of(), List.of("$SYS.>")), Optional.empty())),

    /** Subscribe only: watches the project's messages, publishes nothing (so no requests, no JetStream API). */
    VIEWER(new Permissions(new SubjectPermission(List.of(), List.of(">")),
            new SubjectPermission(List.of(), List.of("$SYS.>")), Optional.empty()));

    private final Permissions permissions;

    ProjectRole(Permissions permissions) {
        this.permissions = permissions;
    }

    /** The permissions written into the member's user JWT. */
    public Permissions permissions() {
        return permissions;
    }
}
