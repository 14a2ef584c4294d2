package io.pocketbus.bridge;

/** Invitation statuses and roles, as stored in the {@code invitations.status} and {@code role} select fields. */
final class Invitations {
    static final String PENDING = "pending";
    static final String ACCEPTED = "accepted";
    static final String DECLINED = "declined";
    /** Set when someone answers an invitation after its expiry. */
    static final String EXPIRED = "expired";
    static final String ROLE_MEMBER = "member";
    static final String ROLE_VIEWER = "viewer";

    private Invitations() {
    }
}
