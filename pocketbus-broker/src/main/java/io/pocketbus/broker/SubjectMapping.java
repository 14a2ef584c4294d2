package io.pocketbus.broker;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nats-server's subject transform for imports: a subject matched by {@code from} is rewritten onto
 * {@code to}, whose {@code *} and {@code >} take what the wildcards of {@code from} matched, in order, and
 * whose {@code $n} or {@code {{wildcard(n)}}} tokens take the n-th of them (1-based).
 */
final class SubjectMapping {
    private static final Pattern WILDCARD_FUNCTION = Pattern.compile("\\{\\{\\s*wildcard\\s*\\(\\s*(\\d+)\\s*\\)\\s*}}");
    private static final Pattern DOLLAR = Pattern.compile("\\$(\\d+)");
    /** Marks a literal token in {@link #sources}. */
    private static final int LITERAL = -1;

    private final String[] from;
    private final String[] to;
    /** For each token of {@code to}: the index of the wildcard of {@code from} it takes, or {@link #LITERAL}. */
    private final int[] sources;

    private SubjectMapping(String[] from, String[] to, int[] sources) {
        this.from = from;
        this.to = to;
        this.sources = sources;
    }

    /** @throws IllegalArgumentException when {@code to} refers to a wildcard {@code from} does not have */
    static SubjectMapping of(String from, String to) {
        String[] fromTokens = Subjects.tokens(from);
        String[] toTokens = Subjects.tokens(to);
        int wildcards = 0;
        for (String t : fromTokens) {
            if (t.equals("*") || t.equals(">")) {
                wildcards++;
            }
        }
        int[] sources = new int[toTokens.length];
        int positional = 0;
        for (int i = 0; i < toTokens.length; i++) {
            String t = toTokens[i];
            int source = LITERAL;
            if (t.equals("*") || t.equals(">")) {
                source = positional++;
            } else {
                Matcher dollar = DOLLAR.matcher(t);
                Matcher function = WILDCARD_FUNCTION.matcher(t);
                if (dollar.matches()) {
                    source = Integer.parseInt(dollar.group(1)) - 1;
                } else if (function.matches()) {
                    source = Integer.parseInt(function.group(1)) - 1;
                } else {
                    sources[i] = LITERAL;
                    continue;
                }
            }
            if (source < 0 || source >= wildcards) {
                throw new IllegalArgumentException("cannot map " + from + " to " + to
                        + ": it refers to a wildcard the source does not have");
            }
            sources[i] = source;
        }
        return new SubjectMapping(fromTokens, toTokens, sources);
    }

    static boolean isValid(String from, String to) {
        try {
            of(from, to);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The subject a literal subject matched by {@code from} becomes. */
    String apply(String[] subject) {
        List<String> captured = new ArrayList<>();
        for (int k = 0; k < from.length && k < subject.length; k++) {
            if (from[k].equals("*")) {
                captured.add(subject[k]);
            } else if (from[k].equals(">")) {
                captured.add(String.join(".", Arrays.copyOfRange(subject, k, subject.length)));
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < to.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            out.append(sources[i] == LITERAL ? to[i] : captured.get(sources[i]));
        }
        return out.toString();
    }
}
