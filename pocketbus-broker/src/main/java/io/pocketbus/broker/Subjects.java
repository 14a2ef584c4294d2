package io.pocketbus.broker;

/**
 * NATS subject rules (ADR-15 / nats-server's sublist): dot-separated non-empty tokens without whitespace;
 * {@code *} matches one token and {@code >} one or more trailing tokens, each only as a whole token.
 */
public final class Subjects {
    private Subjects() {
    }

    private static final byte[] SERVICE_REPLY_PREFIX = {'_', 'R', '_', '.'};
    private static final byte[] JS_ACK_PREFIX = {'$', 'J', 'S', '.', 'A', 'C', 'K', '.'};

    /**
     * Whether a client may not use this reply subject: nats-server keeps {@code _R_.} (service import replies)
     * and {@code $JS.ACK.} (JetStream acks) for itself.
     */
    static boolean isReservedReply(byte[] buf, int offset, int length) {
        return startsWith(buf, offset, length, SERVICE_REPLY_PREFIX) || startsWith(buf, offset, length, JS_ACK_PREFIX);
    }

    private static boolean startsWith(byte[] buf, int offset, int length, byte[] prefix) {
        if (length <= prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** A subject a subscription may use: wildcards allowed, {@code >} only as the last token. */
    public static boolean isValidSubject(String subject) {
        return check(subject, true);
    }

    /** A subject a message may be published to: no wildcard tokens. */
    public static boolean isValidLiteralSubject(String subject) {
        return check(subject, false);
    }

    /** Whether the subject contains a wildcard token. */
    public static boolean hasWildcard(String subject) {
        int n = subject.length();
        for (int i = 0; i < n; i++) {
            char c = subject.charAt(i);
            if ((c == '*' || c == '>') && (i == 0 || subject.charAt(i - 1) == '.')
                    && (i + 1 == n || subject.charAt(i + 1) == '.')) {
                return true;
            }
        }
        return false;
    }

    private static boolean check(String subject, boolean wildcardsAllowed) {
        int n = subject.length();
        if (n == 0) {
            return false;
        }
        int tokenStart = 0;
        boolean sawFullWildcard = false;
        for (int i = 0; i <= n; i++) {
            if (i == n || subject.charAt(i) == '.') {
                int len = i - tokenStart;
                if (len == 0 || sawFullWildcard) {
                    return false;
                }
                if (len == 1) {
                    char c = subject.charAt(tokenStart);
                    if (c == '*' || c == '>') {
                        if (!wildcardsAllowed) {
                            return false;
                        }
                        sawFullWildcard = c == '>';
                    }
                }
                tokenStart = i + 1;
                continue;
            }
            char c = subject.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
                return false;
            }
        }
        return true;
    }

    /** Splits a subject into its tokens without regular expressions. */
    static String[] tokens(String subject) {
        int count = 1;
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) == '.') {
                count++;
            }
        }
        String[] out = new String[count];
        int start = 0;
        int t = 0;
        for (int i = 0; i <= subject.length(); i++) {
            if (i == subject.length() || subject.charAt(i) == '.') {
                out[t++] = subject.substring(start, i);
                start = i + 1;
            }
        }
        return out;
    }

    /** Whether the (possibly wildcard) pattern matches the literal subject. */
    public static boolean matches(String pattern, String subject) {
        return matchTokens(tokens(pattern), tokens(subject));
    }

    static boolean matchTokens(String[] pattern, String[] subject) {
        int i = 0;
        for (; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.equals(">")) {
                return subject.length > i;
            }
            if (i >= subject.length) {
                return false;
            }
            if (!p.equals("*") && !p.equals(subject[i])) {
                return false;
            }
        }
        return i == subject.length;
    }

    /**
     * Whether every subject {@code subset} can match is also matched by {@code superset}; wildcard tokens in
     * {@code subset} must be covered by equal or wider wildcards in {@code superset}.
     */
    static boolean isSubset(String[] subset, String[] superset) {
        for (int i = 0; i < superset.length; i++) {
            String p = superset[i];
            if (p.equals(">")) {
                return subset.length > i;
            }
            if (i >= subset.length) {
                return false;
            }
            String s = subset[i];
            if (s.equals(">")) {
                return false;
            }
            if (p.equals("*")) {
                continue;
            }
            if (!p.equals(s)) {
                return false;
            }
        }
        return subset.length == superset.length;
    }

    /** Whether some subject could be matched by both patterns. */
    static boolean overlaps(String[] a, String[] b) {
        int n = Math.min(a.length, b.length);
        for (int i = 0; i < n; i++) {
            String x = a[i];
            String y = b[i];
            if (x.equals(">") || y.equals(">")) {
                return true;
            }
            if (!x.equals("*") && !y.equals("*") && !x.equals(y)) {
                return false;
            }
        }
        return a.length == b.length;
    }
}
