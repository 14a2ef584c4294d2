package io.pocketbus.broker;

/**
 * An error in a nats-server configuration file, located as nats-server locates it:
 * {@code file:line:column: reason}.
 */
public class ConfigException extends RuntimeException {

    private final String source;
    private final int line;
    private final int column;

    public ConfigException(String source, int line, int column, String reason) {
        super(source + ":" + line + ":" + column + ": " + reason);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    /** An error about a parsed value, at the value's position. */
    public static ConfigException at(ConfigValue value, String reason) {
        return new ConfigException(value.source(), value.line(), value.column(), reason);
    }

    /** The file name, or {@code <string>} for configuration text not read from a file. */
    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
