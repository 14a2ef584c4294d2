package io.pocketbus.tools.auth;

/**
 * Pocketbus's own small SVG badges for the named providers (a rounded square in the provider's colour with
 * its initial), inlined in auth-methods and the provider list as PocketBase inlines its logos.
 */
final class OAuth2Logos {
    static final String APPLE = badge("#000000", "A");
    static final String GOOGLE = badge("#4285f4", "G");
    static final String MICROSOFT = badge("#737373", "M");
    static final String GITHUB = badge("#24292f", "GH");
    static final String GITLAB = badge("#fc6d26", "GL");
    static final String DISCORD = badge("#5865f2", "D");
    static final String OIDC = badge("#f78c40", "ID");

    private OAuth2Logos() {
    }

    private static String badge(String colour, String initials) {
        int size = initials.length() > 1 ? 13 : 18;
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 32 32\" width=\"32\" height=\"32\">"
                + "<rect width=\"32\" height=\"32\" rx=\"7\" fill=\"" + colour + "\"/>"
                + "<text x=\"16\" y=\"16\" dy=\".35em\" text-anchor=\"middle\" font-family=\"Arial,sans-serif\""
                + " font-weight=\"bold\" font-size=\"" + size + "\" fill=\"#fff\">" + initials + "</text></svg>";
    }
}
