package io.pocketbus.broker;

/**
 * Subject filters as the stores use them: tokens separated by {@code .}, {@code *} matches one token,
 * a final {@code >} matches one or more. An empty filter or {@code >} matches everything.
 */
final class StoreSubjects {

    private StoreSubjects() {
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
