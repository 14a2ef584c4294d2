package io.pocketbus.bridge;

/** A project account operation refused; the message is safe to show to the client. */
public final class ProjectAccountException extends RuntimeException {

    /** What went wrong, for the REST layer to map onto a status (404, 400). */
    public enum Kind { NOT_FOUND, INVALID }

    private final Kind kind;

    public ProjectAccountException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    static ProjectAccountException projectNotFound(String projectId) {
        return new ProjectAccountException(Kind.NOT_FOUND, "The project has no messaging account: " + projectId);
    }
}
