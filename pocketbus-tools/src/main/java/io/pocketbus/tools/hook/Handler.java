package io.pocketbus.tools.hook;

import java.util.Objects;

/**
 * A named hook handler. Lower priorities run first; handlers with equal priority run in the order they
 * were bound. Binding a handler with an id already bound replaces it.
 */
public record Handler<E extends Event>(String id, int priority, HookFunction<E> function) {
    public Handler {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(function, "function");
    }

    public static <E extends Event> Handler<E> of(String id, int priority, HookFunction<E> function) {
        return new Handler<>(id, priority, function);
    }

    public static <E extends Event> Handler<E> of(String id, HookFunction<E> function) {
        return new Handler<>(id, 0, function);
    }
}
