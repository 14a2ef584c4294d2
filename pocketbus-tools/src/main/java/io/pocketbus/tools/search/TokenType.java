package io.pocketbus.tools.search;

/** The kinds of token the filter scanner produces. */
public enum TokenType {
    UNEXPECTED("unexpected"),
    EOF("eof"),
    WHITESPACE("whitespace"),
    JOIN("join"),
    SIGN("sign"),
    /** A field path, macro or keyword such as {@code title}, {@code @request.auth.id}, {@code null}. */
    IDENTIFIER("identifier"),
    /** A function call; its arguments are in {@link Token#args()}. */
    FUNCTION("function"),
    NUMBER("number"),
    /** A quoted text, already unquoted. */
    TEXT("text"),
    /** A parenthesised group; its literal is the inner text, parsed again. */
    GROUP("group"),
    COMMENT("comment");

    private final String word;

    TokenType(String word) {
        this.word = word;
    }

    /** The name PocketBase's error messages use. */
    public String word() {
        return word;
    }
}
