package io.pocketbus.tools.hook;

/** The body of a hook handler. Throw an unchecked exception to fail the chain with that error. */
@FunctionalInterface
public interface HookFunction<E extends Event> {
    void handle(E event);
}
