package io.pocketbus.broker;

import java.util.List;

/**
 * The subjects a store operation selects: one or more subject filters (a consumer's
 * {@code filter_subject} or {@code filter_subjects}). Tokens are separated by {@code .}, {@code *}
 * matches one token, a final {@code >} one or more; an empty filter or {@code >} selects every subject,
 * as does an empty list.
 */
final class StoreFilter {

    static final StoreFilter ALL = new StoreFilter(List.of());

    private final List<String> filters;
    private final boolean all;
    private final String literal;

    private StoreFilter(List<String> filters) {
        this.filters = List.copyOf(filters);
        this.all = filters.isEmpty() || filters.stream().anyMatch(StoreFilter::matchesAll);
        this.literal = !all && filters.size() == 1 && isLiteral(filters.get(0)) ? filters.get(0) : null;
    }

    static StoreFilter of(String filter) {
        return matchesAll(filter) ? ALL : new StoreFilter(List.of(filter));
    }

    static StoreFilter of(List<String> filters) {
        return new StoreFilter(filters);
    }

    /** Whether every subject is selected. */
    boolean all() {
        return all;
    }

    /** The one subject selected when the filter is a single literal subject, else null. */
    String literal() {
        return literal;
    }

    /** Whether this is {@link #of(String)} of {@code filter}. */
    boolean isOnly(String filter) {
        return all ? matchesAll(filter) : filters.size() == 1 && filters.get(0).equals(filter);
    }

    boolean matches(String subject) {
        if (all) {
            return true;
        }
        for (String f : filters) {
            if (matches(f, subject)) {
                return true;
            }
        }
        return false;
    }

    static boolean matchesAll(String filter) {
        return filter.isEmpty() || filter.equals(">");
    }

    static boolean isLiteral(String filter) {
        if (matchesAll(filter)) {
            return false;
        }
        int start = 0;
        while (start <= filter.length()) {
            int end = filter.indexOf('.', start);
            if (end < 0) {
                end = filter.length();
            }
            if (end - start == 1 && (filter.charAt(start) == '*' || filter.charAt(start) == '>')) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    static boolean matches(String filter, String subject) {
        if (matchesAll(filter)) {
            return true;
        }
        int f = 0;
        int s = 0;
        int fl = filter.length();
        int sl = subject.length();
        while (f <= fl && s <= sl) {
            int fe = filter.indexOf('.', f);
            if (fe < 0) {
                fe = fl;
            }
            int se = subject.indexOf('.', s);
            if (se < 0) {
                se = sl;
            }
            boolean oneChar = fe - f == 1;
            if (oneChar && filter.charAt(f) == '>') {
                return fe == fl;
            }
            if (!(oneChar && filter.charAt(f) == '*')
                    && !(fe - f == se - s && filter.regionMatches(f, subject, s, fe - f))) {
                return false;
            }
            f = fe + 1;
            s = se + 1;
        }
        return f > fl && s > sl;
    }
}
