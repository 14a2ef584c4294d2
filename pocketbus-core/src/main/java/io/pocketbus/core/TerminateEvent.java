package io.pocketbus.core;

import io.pocketbus.tools.hook.Event;

/** Fired by {@link App#close()}; the default action closes the databases. */
public class TerminateEvent extends Event {
    private final App app;
    private final boolean restart;

    public TerminateEvent(App app, boolean restart) {
        this.app = app;
        this.restart = restart;
    }

    public App app() {
        return app;
    }

    public boolean isRestart() {
        return restart;
    }
}
