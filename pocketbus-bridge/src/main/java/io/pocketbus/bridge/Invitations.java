package io.pocketbus.bridge;

/** Invitation statuses, as stored in the {@code invitations.status} select field. */
final class Invitations {
    static final String PENDING = "pending";
    static final String ACCEPTED = "accepted";
    static final String DECLINED = "declined";

    private Invitations() {
    }
}
