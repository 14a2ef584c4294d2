package io.pocketbus.bridge;

import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.util.List;
import java.util.Optional;

/**
 * What a service credential may publish and subscribe to: allow and deny lists of subjects (wildcards
 * allowed; deny wins; an empty allow list allows everything not denied), and whether it may answer requests
 * on their reply subjects even where publishing is not otherwise allowed ({@code allow_responses}).
 */
public record CredentialScope(List<String> publishAllow, List<String> publishDeny, List<String> subscribeAllow,
        List<String> subscribeDeny, boolean allowResponses) {

    /** Every subject of the project, {@code $SYS} excepted: the same as {@link ProjectRole#MEMBER}. */
    public static final CredentialScope FULL =
            new CredentialScope(List.of(), List.of("$SYS.>"), List.of(), List.of("$SYS.>"), false);

    public CredentialScope {
        publishAllow = List.copyOf(publishAllow);
        publishDeny = List.copyOf(publishDeny);
        subscribeAllow = List.copyOf(subscribeAllow);
        subscribeDeny = List.copyOf(subscribeDeny);
        for (List<String> subjects : List.of(publishAllow, publishDeny, subscribeAllow, subscribeDeny)) {
            subjects.forEach(CredentialScope::requireSubject);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** As the permissions of the credential's user JWT. */
    Permissions toPermissions() {
        return new Permissions(new SubjectPermission(publishAllow, publishDeny),
                new SubjectPermission(subscribeAllow, subscribeDeny),
                allowResponses ? Optional.of(Permissions.DEFAULT_RESPONSES) : Optional.empty());
    }

    /**
     * A permission subject: tokens separated by dots, none empty, no whitespace; a subscribe entry may name
     * a queue group after one space, as nats-server allows.
     */
    private static void requireSubject(String subject) {
        String s = subject.contains(" ") ? subject.substring(0, subject.indexOf(' ')) : subject;
        String queue = subject.contains(" ") ? subject.substring(subject.indexOf(' ') + 1) : "x";
        boolean valid = !s.isEmpty() && !queue.isEmpty() && !queue.contains(" ");
        for (String token : s.split("\\.", -1)) {
            valid &= !token.isEmpty() && token.chars().noneMatch(Character::isWhitespace)
                    && (!token.contains(">") || token.equals(">")) && (!token.contains("*") || token.equals("*"));
        }
        if (!valid) {
            throw new ProjectAccountException(ProjectAccountException.Kind.INVALID, "Invalid subject: " + subject);
        }
    }

    /** Collects a scope; by default nothing is allowed. */
    public static final class Builder {
        private List<String> publishAllow = List.of();
        private List<String> publishDeny = List.of(">");
        private List<String> subscribeAllow = List.of();
        private List<String> subscribeDeny = List.of(">");
        private boolean allowResponses;

        private Builder() {
        }

        /** Publish allow and deny lists; both empty means no publishing at all. */
        public Builder publish(List<String> allow, List<String> deny) {
            this.publishAllow = allow;
            this.publishDeny = allow.isEmpty() && deny.isEmpty() ? List.of(">") : deny;
            return this;
        }

        /** Subscribe allow and deny lists; both empty means no subscribing at all. */
        public Builder subscribe(List<String> allow, List<String> deny) {
            this.subscribeAllow = allow;
            this.subscribeDeny = allow.isEmpty() && deny.isEmpty() ? List.of(">") : deny;
            return this;
        }

        public Builder allowResponses(boolean allow) {
            this.allowResponses = allow;
            return this;
        }

        public CredentialScope build() {
            return new CredentialScope(publishAllow, publishDeny, subscribeAllow, subscribeDeny, allowResponses);
        }
    }
}
