package io.pocketbus.tools.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The lexical scanner of the filter language. It works on the UTF-8 bytes of the input, rune by rune, as
 * PocketBase's fexpr scanner does, so that every input scans to the same tokens and the same errors.
 */
public final class FilterScanner {

    /** Functions may nest at most this deep ({@code a(b(c(1)))}). */
    public static final int MAX_FUNCTION_DEPTH = 3;

    private static final int EOF = 0;
    private static final int RUNE_ERROR = 0xFFFD;

    private final byte[] data;
    private int pos;

    public FilterScanner(String text) {
        this.data = text.getBytes(StandardCharsets.UTF_8);
    }

    /** A token, and the error that scanning it hit (then the token is partial), or null. */
    record Scanned(Token token, String error) {
        static Scanned ok(Token token) {
            return new Scanned(token, null);
        }
    }

    /** The next token; {@link TokenType#EOF} at the end. */
    public Token scan() {
        Scanned s = next();
        if (s.error != null) {
            throw new FilterException(s.error);
        }
        return s.token;
    }

    /** The next token and its error without throwing, so that scanning can go on after an error. */
    Scanned next() {
        int ch = read();
        if (ch == EOF) {
            return Scanned.ok(Token.of(TokenType.EOF, ""));
        }
        if (isWhitespace(ch)) {
            unread();
            return scanWhitespace();
        }
        if (ch == '(') {
            unread();
            return scanGroup();
        }
        if (isIdentifierStart(ch)) {
            unread();
            return scanIdentifier(MAX_FUNCTION_DEPTH);
        }
        if (isNumberStart(ch)) {
            unread();
            return scanNumber();
        }
        if (isTextStart(ch)) {
            unread();
            return scanText(false);
        }
        if (isSignStart(ch)) {
            unread();
            return scanRun(TokenType.SIGN);
        }
        if (isJoinStart(ch)) {
            unread();
            return scanRun(TokenType.JOIN);
        }
        if (ch == '/') {
            unread();
            return scanComment();
        }
        String literal = new String(Character.toChars(ch));
        return new Scanned(Token.of(TokenType.UNEXPECTED, literal), "unexpected character " + GoQuote.rune(ch));
    }

    private Scanned scanWhitespace() {
        StringBuilder buf = new StringBuilder();
        while (true) {
            int ch = read();
            if (ch == EOF) {
                break;
            }
            if (!isWhitespace(ch)) {
                unread();
                break;
            }
            buf.appendCodePoint(ch);
        }
        return Scanned.ok(Token.of(TokenType.WHITESPACE, buf.toString()));
    }

    private Scanned scanNumber() {
        StringBuilder buf = new StringBuilder();
        boolean hadDot = false;
        while (true) {
            int ch = read();
            if (ch == EOF) {
                break;
            }
            if (!isDigit(ch) && (ch != '-' || !buf.isEmpty()) && (ch != '.' || hadDot)) {
                unread();
                break;
            }
            buf.appendCodePoint(ch);
            if (ch == '.') {
                hadDot = true;
            }
        }
        String literal = buf.toString();
        String error = null;
        if (literal.equals("-") || literal.startsWith(".") || literal.endsWith(".")) {
            error = "invalid number " + GoQuote.string(literal);
        }
        return new Scanned(Token.of(TokenType.NUMBER, literal), error);
    }

    private Scanned scanText(boolean preserveQuotes) {
        StringBuilder buf = new StringBuilder();
        int quote = read();
        buf.appendCodePoint(quote);
        int prev = 0;
        boolean closed = false;
        while (true) {
            int ch = read();
            if (ch == EOF) {
                break;
            }
            buf.appendCodePoint(ch);
            // a quote right after a backslash is part of the text
            if (ch == quote && prev != '\\') {
                closed = true;
                break;
            }
            prev = ch;
        }
        String literal = buf.toString();
        if (!closed) {
            return new Scanned(Token.of(TokenType.TEXT, literal), "invalid quoted text " + GoQuote.string(literal));
        }
        if (!preserveQuotes) {
            String q = new String(Character.toChars(quote));
            literal = literal.substring(q.length(), literal.length() - q.length()).replace("\\" + q, q);
        }
        return Scanned.ok(Token.of(TokenType.TEXT, literal));
    }

    private Scanned scanComment() {
        if (read() != '/' || read() != '/') {
            return new Scanned(Token.of(TokenType.COMMENT, ""), "invalid comment");
        }
        StringBuilder buf = new StringBuilder();
        while (true) {
            int ch = read();
            if (ch == EOF || ch == '\n') {
                break;
            }
            buf.appendCodePoint(ch);
        }
        return Scanned.ok(Token.of(TokenType.COMMENT, buf.toString().strip()));
    }

    private Scanned scanIdentifier(int funcDepth) {
        StringBuilder buf = new StringBuilder();
        buf.appendCodePoint(read());
        while (true) {
            int ch = read();
            if (ch == EOF) {
                break;
            }
            if (ch == '(') {
                String name = buf.toString();
                if (funcDepth <= 0) {
                    return new Scanned(Token.of(TokenType.FUNCTION, name),
                            "max nested function arguments reached (max: " + MAX_FUNCTION_DEPTH + ")");
                }
                if (!isValidIdentifier(name)) {
                    return new Scanned(Token.of(TokenType.FUNCTION, name),
                            "invalid function name " + GoQuote.string(name));
                }
                unread();
                return scanFunctionArgs(name, funcDepth);
            }
            if (!isLetter(ch) && !isDigit(ch) && !isIdentifierCombine(ch) && ch != '_') {
                unread();
                break;
            }
            buf.appendCodePoint(ch);
        }
        String literal = buf.toString();
        String error = isValidIdentifier(literal) ? null : "invalid identifier " + GoQuote.string(literal);
        return new Scanned(Token.of(TokenType.IDENTIFIER, literal), error);
    }

    /** A sign or join operator: every contiguous rune of its start set, then validated. */
    private Scanned scanRun(TokenType type) {
        StringBuilder buf = new StringBuilder();
        while (true) {
            int ch = read();
            if (ch == EOF) {
                break;
            }
            boolean member = type == TokenType.SIGN ? isSignStart(ch) : isJoinStart(ch);
            if (!member) {
                unread();
                break;
            }
            buf.appendCodePoint(ch);
        }
        String literal = buf.toString();
        String error = null;
        if (type == TokenType.SIGN && SignOp.fromLiteral(literal).isEmpty()) {
            error = "invalid sign operator " + GoQuote.string(literal);
        } else if (type == TokenType.JOIN && !literal.equals("&&") && !literal.equals("||")) {
            error = "invalid join operator " + GoQuote.string(literal);
        }
        return new Scanned(Token.of(type, literal), error);
    }

    private Scanned scanGroup() {
        StringBuilder buf = new StringBuilder();
        read(); // the opening bracket
        int open = 1;
        while (true) {
            int ch = read();
            if (ch == EOF) {
                break;
            }
            if (ch == '(') {
                open++;
                buf.appendCodePoint(ch);
            } else if (isTextStart(ch)) {
                unread();
                // keep the quotes: the group's text is parsed again
                Scanned text = scanText(true);
                buf.append(text.token.literal());
                if (text.error != null) {
                    return new Scanned(Token.of(TokenType.GROUP, buf.toString()), text.error);
                }
            } else if (ch == ')') {
                open--;
                if (open <= 0) {
                    break;
                }
                buf.appendCodePoint(ch);
            } else {
                buf.appendCodePoint(ch);
            }
        }
        String error = open > 0 ? "invalid formatted group - missing " + open + " closing bracket(s)" : null;
        return new Scanned(Token.of(TokenType.GROUP, buf.toString()), error);
    }

    private Scanned scanFunctionArgs(String name, int funcDepth) {
        List<Token> args = new ArrayList<>();
        String quotedName = GoQuote.string(name);
        if (read() != '(') {
            return fail(name, args, "invalid or incomplete function call " + quotedName);
        }
        boolean expectComma = false;
        boolean closed = false;
        while (true) {
            int ch = read();
            if (ch == EOF) {
                break;
            }
            if (ch == ')') {
                closed = true;
                break;
            }
            if (isWhitespace(ch)) {
                scanWhitespace();
                continue;
            }
            if (ch == '/') {
                unread();
                Scanned comment = scanComment();
                if (comment.error != null) {
                    return fail(name, args, "failed to scan comment in function " + quotedName + ": " + comment.error);
                }
                continue;
            }
            boolean isComma = ch == ',';
            if (expectComma && !isComma) {
                return fail(name, args, "expected comma after the last argument in function " + quotedName);
            }
            if (!expectComma && isComma) {
                return fail(name, args, "unexpected comma in function " + quotedName);
            }
            expectComma = false;
            if (isComma) {
                continue;
            }
            String kind;
            Scanned arg;
            if (isIdentifierStart(ch)) {
                unread();
                kind = "identifier";
                arg = scanIdentifier(funcDepth - 1);
            } else if (isNumberStart(ch)) {
                unread();
                kind = "number";
                arg = scanNumber();
            } else if (isTextStart(ch)) {
                unread();
                kind = "text";
                arg = scanText(false);
            } else {
                return fail(name, args, "unsupported argument character " + GoQuote.rune(ch) + " in function " + quotedName);
            }
            if (arg.error != null) {
                return fail(name, args, "invalid " + kind + " argument " + GoQuote.string(arg.token.literal())
                        + " in function " + quotedName + ": " + arg.error);
            }
            args.add(arg.token);
            expectComma = true;
        }
        if (!closed) {
            return fail(name, args, "invalid or incomplete function " + quotedName + " (expected ')')");
        }
        return Scanned.ok(new Token(TokenType.FUNCTION, name, args));
    }

    private static Scanned fail(String name, List<Token> args, String error) {
        return new Scanned(new Token(TokenType.FUNCTION, name, args), error);
    }

    /** Steps back one byte, as fexpr does (a multi-byte rune read again decodes as an invalid rune). */
    private void unread() {
        if (pos > 0) {
            pos--;
        }
    }

    private int read() {
        if (pos >= data.length) {
            return EOF;
        }
        int b0 = data[pos] & 0xFF;
        if (b0 < 0x80) {
            pos++;
            return b0;
        }
        int need;
        int cp;
        int min;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            need = 1;
            cp = b0 & 0x1F;
            min = 0x80;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            need = 2;
            cp = b0 & 0x0F;
            min = 0x800;
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            need = 3;
            cp = b0 & 0x07;
            min = 0x10000;
        } else {
            pos++;
            return RUNE_ERROR;
        }
        if (pos + need >= data.length) {
            pos++;
            return RUNE_ERROR;
        }
        for (int i = 1; i <= need; i++) {
            int b = data[pos + i] & 0xFF;
            if ((b & 0xC0) != 0x80) {
                pos++;
                return RUNE_ERROR;
            }
            cp = (cp << 6) | (b & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            pos++;
            return RUNE_ERROR;
        }
        pos += need + 1;
        return cp;
    }

    static boolean isWhitespace(int ch) {
        return ch == ' ' || ch == '\t' || ch == '\n';
    }

    static boolean isLetter(int ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
    }

    static boolean isDigit(int ch) {
        return ch >= '0' && ch <= '9';
    }

    static boolean isTextStart(int ch) {
        return ch == '\'' || ch == '"';
    }

    static boolean isNumberStart(int ch) {
        return ch == '-' || isDigit(ch);
    }

    static boolean isSignStart(int ch) {
        return ch == '=' || ch == '?' || ch == '!' || ch == '>' || ch == '<' || ch == '~';
    }

    static boolean isJoinStart(int ch) {
        return ch == '&' || ch == '|';
    }

    static boolean isIdentifierStart(int ch) {
        return isLetter(ch) || isIdentifierSpecialStart(ch);
    }

    static boolean isIdentifierSpecialStart(int ch) {
        return ch == '@' || ch == '_' || ch == '#';
    }

    static boolean isIdentifierCombine(int ch) {
        return ch == '.' || ch == ':';
    }

    /** Does not end with {@code .} or {@code :} and is not a lone special start rune. */
    static boolean isValidIdentifier(String literal) {
        int length = literal.length();
        return length > 0 && !isIdentifierCombine(literal.charAt(length - 1))
                && (length != 1 || !isIdentifierSpecialStart(literal.charAt(0)));
    }
}
