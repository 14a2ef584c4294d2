package io.pocketbus.core;

import java.util.Optional;

/** {@code base}, {@code auth} or {@code view}. */
public enum CollectionType {
    BASE("base"), AUTH("auth"), VIEW("view");

    private final String value;

    CollectionType(String value) {
        this.value = value;
    }

    public String value() {
        return value;
    }

    public static Optional<CollectionType> of(String value) {
        for (CollectionType t : values()) {
            if (t.value.equals(value)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return value;
    }
}
