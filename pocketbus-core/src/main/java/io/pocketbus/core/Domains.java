package io.pocketbus.core;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Email/url syntax checks and the onlyDomains/exceptDomains rules of the email and url fields. */
final class Domains {
    private static final Pattern EMAIL = Pattern.compile(
            "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                    + "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$");

    private Domains() {
    }

    static boolean isEmail(String v) {
        return v.length() <= 254 && EMAIL.matcher(v).matches();
    }

    /** The host of an absolute http(s)-like URL with a host; empty when it is not a valid URL. */
    static Optional<String> urlHost(String v) {
        try {
            URI uri = new URI(v);
            if (uri.getScheme() == null || uri.getHost() == null || uri.getHost().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(uri.getHost());
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    static boolean allowed(String domain, List<String> except, List<String> only) {
        String d = domain.toLowerCase(Locale.ROOT);
        if (!only.isEmpty()) {
            return only.stream().anyMatch(o -> o.equalsIgnoreCase(d));
        }
        return except.stream().noneMatch(e -> e.equalsIgnoreCase(d));
    }
}
