package io.pocketbus.broker;

import java.util.ArrayList;
import java.util.List;

/**
 * One compiled allow or deny list of nats-server permissions. An entry is a subject pattern, optionally
 * followed by a queue group name ({@code "foo v1"} concerns only queue subscriptions to {@code foo} in
 * group {@code v1}).
 */
final class PermissionFilter {
    private record Entry(String[] tokens, String queue) {
    }

    private final List<Entry> entries;

    private PermissionFilter(List<Entry> entries) {
        this.entries = entries;
    }

    /** Compiles a list; an empty list gives null, meaning "no list". */
    static PermissionFilter compile(List<String> list) {
        if (list.isEmpty()) {
            return null;
        }
        List<Entry> entries = new ArrayList<>(list.size());
        for (String raw : list) {
            String s = raw.strip();
            int space = indexOfWhitespace(s);
            String subject = space < 0 ? s : s.substring(0, space);
            String queue = space < 0 ? null : s.substring(space + 1).strip();
            entries.add(new Entry(Subjects.tokens(subject), queue == null || queue.isEmpty() ? null : queue));
        }
        return new PermissionFilter(List.copyOf(entries));
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Whether a literal subject (a publish or a delivered message) is matched by a subject-only entry. */
    boolean matchesSubject(String[] subject) {
        for (Entry e : entries) {
            if (e.queue == null && Subjects.matchTokens(e.tokens, subject)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a subscription (pattern and queue) lies entirely within an entry. */
    boolean coversSubscription(String[] subject, String queue) {
        for (Entry e : entries) {
            if ((e.queue == null || e.queue.equals(queue)) && Subjects.isSubset(subject, e.tokens)) {
                return true;
            }
        }
        return false;
    }

    /** The subject-only entries that overlap a wildcard subscription, as a delivery filter, or null. */
    PermissionFilter overlapping(String[] subject) {
        List<Entry> hits = new ArrayList<>();
        for (Entry e : entries) {
            if (e.queue == null && Subjects.overlaps(e.tokens, subject)) {
                hits.add(e);
            }
        }
        return hits.isEmpty() ? null : new PermissionFilter(List.copyOf(hits));
    }
}
