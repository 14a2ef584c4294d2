package io.pocketbus.tools.hook;

/**
 * Base of every hook event. A handler must call {@link #next()} to continue the chain; not calling it
 * stops the chain there (the remaining handlers, and the default action, do not run).
 */
public class Event {
    private Runnable nextFunc = () -> { };

    /** Runs the rest of the handler chain. */
    public void next() {
        nextFunc.run();
    }

    Runnable swapNext(Runnable next) {
        Runnable previous = nextFunc;
        nextFunc = next;
        return previous;
    }
}
