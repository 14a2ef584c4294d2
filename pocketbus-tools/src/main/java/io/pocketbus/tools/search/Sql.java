package io.pocketbus.tools.search;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * A fragment of SQL text with positional {@code ?} placeholders and the values bound to them, in the order
 * the placeholders appear. Fragments are only ever combined by concatenation, so the order of the
 * parameters always follows the text: values are never spliced into the SQL.
 */
public record Sql(String text, List<Object> params) {

    public Sql {
        Objects.requireNonNull(text, "text");
        params = Collections.unmodifiableList(new ArrayList<>(params));
    }

    /** SQL text without parameters; the text must come from our own code, never from a client. */
    public static Sql raw(String text) {
        return new Sql(text, List.of());
    }

    /** A single bound value ({@code ?}). */
    public static Sql param(Object value) {
        List<Object> p = new ArrayList<>(1);
        p.add(value);
        return new Sql("?", p);
    }

    /**
     * Fills each {@code %s} of the template, in order, with the next fragment; the parameters follow the
     * same order. A fragment may be used twice (its parameters are then bound twice).
     */
    public static Sql format(String template, Sql... parts) {
        StringBuilder text = new StringBuilder(template.length() + 32);
        List<Object> params = new ArrayList<>();
        int from = 0;
        int next = 0;
        while (true) {
            int at = template.indexOf("%s", from);
            if (at < 0) {
                break;
            }
            if (next >= parts.length) {
                throw new IllegalArgumentException("too few fragments for template " + template);
            }
            text.append(template, from, at).append(parts[next].text);
            params.addAll(parts[next].params);
            next++;
            from = at + 2;
        }
        if (next != parts.length) {
            throw new IllegalArgumentException("too many fragments for template " + template);
        }
        text.append(template, from, template.length());
        return new Sql(text.toString(), params);
    }

    /** Joins the fragments with a separator. */
    public static Sql join(String separator, List<Sql> parts) {
        StringBuilder text = new StringBuilder();
        List<Object> params = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            if (i > 0) {
                text.append(separator);
            }
            text.append(parts.get(i).text);
            params.addAll(parts.get(i).params);
        }
        return new Sql(text.toString(), params);
    }

    public boolean isEmpty() {
        return text.isEmpty();
    }

    /** {@code NOT (this)}. */
    public Sql not() {
        return isEmpty() ? this : format("NOT (%s)", this);
    }

    /** {@code (this)}. */
    public Sql enclose() {
        return isEmpty() ? this : format("(%s)", this);
    }

    /** {@code (a) AND (b)} skipping empty parts, as a query builder's AND of two conditions. */
    public static Sql and(Sql a, Sql b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return format("(%s) AND (%s)", a, b);
    }

    /**
     * Quotes a table, alias or column name, with a {@code table.column} prefix split on the last dot. Every
     * name part is validated, so an identifier can never close its quotes.
     */
    public static String quoteColumn(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0) {
            return quoteName(name);
        }
        return quoteName(name.substring(0, dot)) + "." + quoteName(name.substring(dot + 1));
    }

    /** Quotes a single name; only word characters (and {@code *}) are valid. */
    public static String quoteName(String name) {
        if (name.equals("*")) {
            return name;
        }
        if (name.isEmpty()) {
            throw new FilterException("invalid empty identifier");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!isWordChar(c)) {
                throw new FilterException("invalid identifier " + GoQuote.string(name));
            }
        }
        return "\"" + name + "\"";
    }

    /** {@code [A-Za-z0-9_]}, the ASCII {@code \w} of the filter language. */
    public static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    @Override
    public String toString() {
        return params.isEmpty() ? text : text + " " + params;
    }
}
