package io.pocketbus.tools.search;

import java.util.List;
import java.util.Objects;

/** One scanned token. {@code args} holds a function's argument tokens and is empty for every other type. */
public record Token(TokenType type, String literal, List<Token> args) {

    public Token {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(literal, "literal");
        args = List.copyOf(args);
    }

    public static Token of(TokenType type, String literal) {
        return new Token(type, literal, List.of());
    }
}
