package io.pocketbus.broker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads nats-server's configuration syntax into a tree of {@link ConfigValue}s: key/value pairs separated by
 * {@code =}, {@code :} or whitespace and ended by a new line, {@code ,} or {@code ;}; maps in {@code {}}; arrays
 * in {@code []}; {@code #} and {@code //} comments; double-quoted strings with escapes, single-quoted raw
 * strings, {@code (…)} block strings and unquoted strings; integers with size suffixes ({@code 1k} = 1000,
 * {@code 1kb}/{@code 1ki}/{@code 1kib} = 1024, up to {@code e}), floats, Zulu datetimes, booleans
 * ({@code true/yes/on}, {@code false/no/off}); {@code $NAME} variables from enclosing maps or else the
 * environment; {@code include path} relative to the including file.
 */
final class ConfigParser {

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]+");
    private static final Pattern SIZED = Pattern.compile("(-?[0-9]+)([kKmMgGtTpPeE])([bBiI]|[iI][bB])?");
    private static final Pattern FLOAT = Pattern.compile("-?[0-9]+\\.[0-9]+");
    private static final Pattern DATETIME = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z");

    private final String text;
    private final String source;
    private final Optional<Path> directory;
    private final Function<String, Optional<String>> environment;
    private final Set<String> resolvingEnv;
    private final Set<String> usedVariables;
    private final Deque<Map<String, ConfigValue>> scopes = new ArrayDeque<>();
    private int pos;
    private int line = 1;
    private int lineStart;

    private ConfigParser(String text, String source, Optional<Path> directory,
            Function<String, Optional<String>> environment, Set<String> resolvingEnv, Set<String> usedVariables) {
        this.text = text;
        this.source = source;
        this.directory = directory;
        this.environment = environment;
        this.resolvingEnv = resolvingEnv;
        this.usedVariables = usedVariables;
    }

    /** The parsed top-level map and the names of the keys used as variables (nats-server ignores those). */
    record Result(Map<String, ConfigValue> root, Set<String> usedVariables) {
    }

    static Result parse(String text, String source, Optional<Path> directory, Function<String, Optional<String>> env) {
        Set<String> used = new HashSet<>();
        ConfigParser parser = new ConfigParser(text, source, directory, env, new HashSet<>(), used);
        return new Result(parser.parseDocument(), used);
    }

    static Result parseFile(Path file, Function<String, Optional<String>> env) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, 0, "cannot read configuration file: " + e.getMessage());
        }
        return parse(text, file.toString(), Optional.ofNullable(file.toAbsolutePath().getParent()), env);
    }

    private Map<String, ConfigValue> parseDocument() {
        Map<String, ConfigValue> root = new LinkedHashMap<>();
        scopes.push(root);
        skipBlank();
        // nats-server accepts a whole file wrapped in one pair of braces
        if (peek() == '{') {
            pos++;
            parseEntries(root, '}');
            expect('}');
            skipBlank();
            if (!atEnd()) {
                throw error("unexpected content after the closing brace");
            }
        } else {
            parseEntries(root, (char) 0);
        }
        scopes.pop();
        return root;
    }

    /** Key/value entries up to {@code end} (a closing brace, or 0 for the end of input), which is not consumed. */
    private void parseEntries(Map<String, ConfigValue> map, char end) {
        while (true) {
            skipBlank();
            while (peek() == ',' || peek() == ';') {
                pos++;
                skipBlank();
            }
            if (atEnd()) {
                if (end != 0) {
                    throw error("unexpected end of file, expected '" + end + "'");
                }
                return;
            }
            if (end != 0 && peek() == end) {
                return;
            }
            int keyLine = line;
            int keyColumn = column();
            boolean quoted = peek() == '"' || peek() == '\'';
            String key = parseKey();
            if (!quoted && key.equalsIgnoreCase("include") && isInlineSpace(peek())) {
                include(map);
            } else {
                // nats-server lets a value start on the next line after a bare key, but not after a separator
                skipWhitespace();
                if (peek() == '=' || peek() == ':') {
                    pos++;
                    skipInlineSpace();
                }
                if (atEnd() || isNewLine(peek()) || peek() == '#' || startsComment()) {
                    throw new ConfigException(source, keyLine, keyColumn, "expected a value for \"" + key + "\"");
                }
                // like nats-server, a map entry is located at its key: errors about it name the key's position
                ConfigValue value = parseValue();
                map.put(key, new ConfigValue(value.value(), value.source(), keyLine, keyColumn));
            }
            endOfEntry(end);
        }
    }

    private void endOfEntry(char end) {
        skipInlineSpace();
        if (atEnd() || isNewLine(peek()) || peek() == ',' || peek() == ';' || peek() == '#' || startsComment()
                || (end != 0 && peek() == end)) {
            return;
        }
        throw error("expected a new line, ',' or ';' after a value, got '" + peek() + "'");
    }

    private String parseKey() {
        char c = peek();
        if (c == '"' || c == '\'') {
            pos++;
            int start = pos;
            while (!atEnd() && peek() != c) {
                if (isNewLine(peek())) {
                    throw error("unterminated quoted key");
                }
                pos++;
            }
            expect(c);
            return text.substring(start, pos - 1);
        }
        if (c == '=' || c == ':') {
            throw error("unexpected key separator '" + c + "'");
        }
        int start = pos;
        while (!atEnd() && !Character.isWhitespace(peek()) && peek() != '=' && peek() != ':'
                && peek() != '{' && peek() != '[') {
            pos++;
        }
        return text.substring(start, pos);
    }

    private void include(Map<String, ConfigValue> map) {
        skipInlineSpace();
        int includeLine = line;
        int includeColumn = column();
        String name;
        if (peek() == '"' || peek() == '\'') {
            char q = peek();
            pos++;
            int start = pos;
            while (!atEnd() && peek() != q && !isNewLine(peek())) {
                pos++;
            }
            name = text.substring(start, pos);
            expect(q);
        } else {
            int start = pos;
            while (!atEnd() && !isNewLine(peek()) && peek() != ';' && peek() != ',' && peek() != '}'
                    && !isInlineSpace(peek())) {
                pos++;
            }
            name = text.substring(start, pos);
        }
        Path file = directory.map(d -> d.resolve(name)).orElse(Path.of(name));
        Result included;
        try {
            included = parseFile(file, environment);
        } catch (ConfigException e) {
            throw new ConfigException(source, includeLine, includeColumn,
                    "error parsing include file '" + name + "', " + e.getMessage());
        }
        map.putAll(included.root());
        usedVariables.addAll(included.usedVariables());
    }

    private ConfigValue parseValue() {
        int valueLine = line;
        int valueColumn = column();
        Object value = switch (peek()) {
            case '{' -> {
                pos++;
                Map<String, ConfigValue> map = new LinkedHashMap<>();
                scopes.push(map);
                parseEntries(map, '}');
                scopes.pop();
                expect('}');
                yield map;
            }
            case '[' -> parseArray();
            case '"' -> parseDoubleQuoted();
            case '\'' -> parseSingleQuoted();
            case '(' -> parseBlock();
            case '.' -> throw error("floats must start with a digit");
            default -> {
                String token = unquotedToken();
                if (token.isEmpty()) {
                    throw error("expected a value, got '" + peek() + "'");
                }
                if (token.startsWith("$")) {
                    yield variable(token.substring(1), valueLine, valueColumn);
                }
                yield typed(token, valueLine, valueColumn);
            }
        };
        return value instanceof ConfigValue v ? v : new ConfigValue(value, source, valueLine, valueColumn);
    }

    private List<ConfigValue> parseArray() {
        pos++;
        List<ConfigValue> list = new ArrayList<>();
        while (true) {
            skipBlank();
            if (atEnd()) {
                throw error("unexpected end of file in an array");
            }
            if (peek() == ']') {
                pos++;
                return list;
            }
            if (peek() == ',') {
                throw error("unexpected array value terminator ','");
            }
            list.add(parseValue());
            skipInlineSpace();
            if (peek() == ',') {
                pos++;
            } else if (!atEnd() && peek() != ']' && !isNewLine(peek()) && peek() != '#' && !startsComment()) {
                throw error("expected ',' or ']' after an array value, got '" + peek() + "'");
            }
        }
    }

    private String parseDoubleQuoted() {
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw error("unexpected end of file in a string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\n') {
                newLine();
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = atEnd() ? 0 : text.charAt(pos++);
            switch (e) {
                case 't' -> out.append('\t');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case '"' -> out.append('"');
                case '\\' -> out.append('\\');
                case 'x' -> {
                    if (pos + 2 > text.length()) {
                        throw error("expected two hexadecimal digits after '\\x'");
                    }
                    try {
                        out.append((char) Integer.parseInt(text.substring(pos, pos + 2), 16));
                    } catch (NumberFormatException ex) {
                        throw error("expected two hexadecimal digits after '\\x'");
                    }
                    pos += 2;
                }
                default -> throw error("invalid escape character '" + e
                        + "'; only \\xXX, \\t, \\n, \\r, \\\", \\\\ are allowed");
            }
        }
    }

    private String parseSingleQuoted() {
        pos++;
        int start = pos;
        while (!atEnd() && peek() != '\'') {
            if (peek() == '\n') {
                pos++;
                newLine();
            } else {
                pos++;
            }
        }
        if (atEnd()) {
            throw error("unexpected end of file in a string");
        }
        pos++;
        return text.substring(start, pos - 1);
    }

    /** A block string: everything up to a ')' alone on its line. */
    private String parseBlock() {
        pos++;
        int start = pos;
        while (!atEnd()) {
            char c = text.charAt(pos);
            if (c == ')' && pos > 0 && text.charAt(pos - 1) == '\n'
                    && (pos + 1 == text.length() || text.charAt(pos + 1) == '\n' || text.charAt(pos + 1) == '\r')) {
                String block = text.substring(start, pos - 1);
                pos++;
                return block;
            }
            pos++;
            if (c == '\n') {
                newLine();
            }
        }
        throw error("unexpected end of file in a block string");
    }

    /** An unquoted token: up to a new line, whitespace, ',', ';', ']' or '}'. */
    private String unquotedToken() {
        int start = pos;
        while (!atEnd()) {
            char c = peek();
            if (Character.isWhitespace(c) || c == ',' || c == ';' || c == ']' || c == '}') {
                break;
            }
            pos++;
        }
        return text.substring(start, pos);
    }

    private Object typed(String token, int tokenLine, int tokenColumn) {
        String lower = token.toLowerCase(Locale.ROOT);
        switch (lower) {
            case "true", "yes", "on":
                return Boolean.TRUE;
            case "false", "no", "off":
                return Boolean.FALSE;
            default:
                break;
        }
        try {
            if (INTEGER.matcher(token).matches()) {
                return Long.parseLong(token);
            }
            var sized = SIZED.matcher(token);
            if (sized.matches()) {
                return Math.multiplyExact(Long.parseLong(sized.group(1)), multiplier(sized.group(2), sized.group(3)));
            }
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ConfigException(source, tokenLine, tokenColumn, "integer '" + token + "' is out of the range");
        }
        if (FLOAT.matcher(token).matches()) {
            return Double.parseDouble(token);
        }
        if (DATETIME.matcher(token).matches()) {
            try {
                return Instant.parse(token);
            } catch (DateTimeParseException e) {
                throw new ConfigException(source, tokenLine, tokenColumn, "expected Zulu formatted DateTime, but got '" + token + "'");
            }
        }
        return token;
    }

    /** nats-server's suffixes: a bare letter is a power of 1000, with "b", "i" or "ib" a power of 1024. */
    private static long multiplier(String unit, String binary) {
        int power = "kmgtpe".indexOf(Character.toLowerCase(unit.charAt(0))) + 1;
        long base = binary == null ? 1000 : 1024;
        long result = 1;
        for (int i = 0; i < power; i++) {
            result = Math.multiplyExact(result, base);
        }
        return result;
    }

    private ConfigValue variable(String name, int varLine, int varColumn) {
        // an unquoted bcrypt hash looks like a variable reference; nats-server keeps it as a string
        if (name.startsWith("2a$")) {
            return new ConfigValue("$" + name, source, varLine, varColumn);
        }
        for (Map<String, ConfigValue> scope : scopes) {
            ConfigValue found = scope.get(name);
            if (found != null) {
                usedVariables.add(name);
                return new ConfigValue(found.value(), source, varLine, varColumn);
            }
        }
        if (!resolvingEnv.add(name)) {
            throw new ConfigException(source, varLine, varColumn, "variable reference cycle for '" + name + "'");
        }
        try {
            Optional<String> env = environment.apply(name);
            if (env.isEmpty()) {
                throw new ConfigException(source, varLine, varColumn, "variable reference for '" + name + "' can not be found");
            }
            ConfigParser sub = new ConfigParser("pk=" + env.get(), "$" + name, directory, environment, resolvingEnv, usedVariables);
            Map<String, ConfigValue> parsed = sub.parseDocument();
            ConfigValue value = parsed.get("pk");
            return new ConfigValue(value.value(), source, varLine, varColumn);
        } finally {
            resolvingEnv.remove(name);
        }
    }

    private void skipBlank() {
        while (!atEnd()) {
            char c = peek();
            if (c == '\n') {
                pos++;
                newLine();
            } else if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '#' || startsComment()) {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipWhitespace() {
        while (!atEnd() && Character.isWhitespace(peek())) {
            if (text.charAt(pos++) == '\n') {
                newLine();
            }
        }
    }

    private void skipInlineSpace() {
        while (!atEnd() && isInlineSpace(peek())) {
            pos++;
        }
        if (!atEnd() && (peek() == '#' || startsComment())) {
            skipComment();
        }
    }

    private void skipComment() {
        while (!atEnd() && peek() != '\n') {
            pos++;
        }
    }

    private boolean startsComment() {
        return peek() == '/' && pos + 1 < text.length() && text.charAt(pos + 1) == '/';
    }

    private void expect(char c) {
        if (atEnd() || peek() != c) {
            throw error(atEnd() ? "unexpected end of file, expected '" + c + "'" : "expected '" + c + "', got '" + peek() + "'");
        }
        pos++;
    }

    private void newLine() {
        line++;
        lineStart = pos;
    }

    private int column() {
        return pos - lineStart + 1;
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return atEnd() ? 0 : text.charAt(pos);
    }

    private static boolean isInlineSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isNewLine(char c) {
        return c == '\n' || c == '\r';
    }

    private ConfigException error(String reason) {
        return new ConfigException(source, line, column(), reason);
    }
}
