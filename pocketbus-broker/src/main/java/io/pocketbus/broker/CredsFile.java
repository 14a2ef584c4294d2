package io.pocketbus.broker;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NATS {@code .creds} file: a user JWT and the user's nkey seed between {@code -----BEGIN …-----} and
 * {@code ------END …------} lines, as nsc writes it and every NATS client reads it.
 */
public record CredsFile(String jwt, String seed) {

    /** Both blocks; the dash runs vary between tools, so any run of three or more is accepted. */
    private static final Pattern BLOCK = Pattern.compile(
            "-{3,}\\s*BEGIN ([A-Z ]+?)\\s*-{3,}\\s*\\R(.*?)\\R\\s*-{3,}\\s*END \\1\\s*-{3,}", Pattern.DOTALL);

    public CredsFile {
        if (jwt.isBlank() || seed.isBlank()) {
            throw new IllegalArgumentException("a creds file needs a JWT and a seed");
        }
    }

    /** Reads the text of a {@code .creds} file. */
    public static CredsFile parse(String text) {
        String jwt = null;
        String seed = null;
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String label = m.group(1);
            String body = m.group(2).trim();
            if (label.equals("NATS USER JWT")) {
                jwt = body;
            } else if (label.equals("USER NKEY SEED")) {
                seed = body;
            }
        }
        if (jwt == null || seed == null) {
            throw new IllegalArgumentException("not a NATS creds file: it needs a USER JWT and a USER NKEY SEED block");
        }
        return new CredsFile(jwt, seed);
    }

    /** Renders the file as nsc does. */
    public String render() {
        return "-----BEGIN NATS USER JWT-----\n" + jwt + "\n------END NATS USER JWT------\n\n"
                + "************************* IMPORTANT *************************\n"
                + "NKEY Seed printed below can be used to sign and prove identity.\n"
                + "NKEYs are sensitive and should be treated as secrets.\n\n"
                + "-----BEGIN USER NKEY SEED-----\n" + seed + "\n------END USER NKEY SEED------\n\n"
                + "*************************************************************\n";
    }

    /** The start of the JWT only: the seed never appears in logs. */
    @Override
    public String toString() {
        return "CredsFile[jwt=" + jwt.substring(0, Math.min(16, jwt.length())) + "…]";
    }
}
