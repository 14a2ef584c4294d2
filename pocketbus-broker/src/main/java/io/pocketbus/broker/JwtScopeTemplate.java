package io.pocketbus.broker;

import io.pocketbus.broker.spi.Permissions;
import io.pocketbus.broker.spi.Permissions.SubjectPermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The permission template of a scoped signing key, filled in for one user as nats-server does:
 * {@code {{name()}}}, {@code {{subject()}}}, {@code {{tag(x)}}} (every value of the user's {@code x:…} tags),
 * {@code {{account-name()}}}, {@code {{account-subject()}}} and {@code {{account-tag(x)}}}. A tag with several
 * values expands a subject into several. Allow lists drop subjects that come out invalid; deny lists refuse the
 * user instead, so a deny is never silently lost. An allow list that ends up empty becomes a deny of {@code >}.
 */
final class JwtScopeTemplate {

    private static final Pattern MUSTACHE = Pattern.compile("\\{\\{([^}]+)}}");
    private static final int MAX_EXPANSIONS = 4096;

    private final JwtUserClaims user;
    private final JwtAccountClaims account;

    private JwtScopeTemplate(JwtUserClaims user, JwtAccountClaims account) {
        this.user = user;
        this.account = account;
    }

    /**
     * The template's permissions for this user.
     *
     * @throws JwtException when a template names something undefined or a deny subject comes out invalid
     */
    static Permissions apply(Permissions template, JwtUserClaims user, JwtAccountClaims account) {
        JwtScopeTemplate t = new JwtScopeTemplate(user, account);
        return new Permissions(t.fill(template.publish()), t.fill(template.subscribe()), template.responses());
    }

    private SubjectPermission fill(SubjectPermission p) {
        List<String> allow = expand(p.allow(), false);
        List<String> deny = new ArrayList<>(expand(p.deny(), true));
        if (!p.allow().isEmpty() && allow.isEmpty()) {
            deny.add(">");
        }
        return new SubjectPermission(allow, deny);
    }

    private List<String> expand(List<String> subjects, boolean strict) {
        List<String> out = new ArrayList<>();
        for (String subject : subjects) {
            List<String> filled = List.of(subject);
            Matcher m = MUSTACHE.matcher(subject);
            while (m.find()) {
                List<String> values = values(m.group(1).trim(), subject, strict);
                List<String> next = new ArrayList<>();
                for (String partial : filled) {
                    for (String value : values) {
                        next.add(partial.replace(m.group(), value));
                    }
                }
                filled = next;
                if (out.size() + filled.size() > MAX_EXPANSIONS) {
                    throw new JwtException("permission template expands to more than " + MAX_EXPANSIONS + " subjects");
                }
            }
            for (String s : filled) {
                if (Subjects.isValidSubject(s)) {
                    out.add(s);
                } else if (strict) {
                    throw new JwtException("permission template generated an invalid subject from \"" + subject + "\"");
                }
            }
        }
        return out;
    }

    private List<String> values(String op, String subject, boolean strict) {
        String lower = op.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "name()":
                return List.of(user.name());
            case "subject()":
                return List.of(user.subject());
            case "account-name()":
                return List.of(account.name());
            case "account-subject()":
                return List.of(account.subject());
            default:
                break;
        }
        List<String> tags;
        String tag;
        if (lower.startsWith("tag(") && lower.endsWith(")")) {
            tags = user.tags();
            tag = lower.substring(4, lower.length() - 1);
        } else if (lower.startsWith("account-tag(") && lower.endsWith(")")) {
            tags = account.tags();
            tag = lower.substring(12, lower.length() - 1);
        } else {
            throw new JwtException("template operation in \"" + subject + "\": \"" + op + "\" is not defined");
        }
        String prefix = tag + ":";
        List<String> values = tags.stream().filter(t -> t.toLowerCase(Locale.ROOT).startsWith(prefix))
                .map(t -> t.substring(prefix.length())).toList();
        if (values.isEmpty() && strict) {
            throw new JwtException("generated invalid subject \"" + subject + "\": \"" + tag + "\" is not defined");
        }
        return values;
    }
}
