package io.pocketbus.core;

import io.pocketbus.tools.hook.Event;

/** Fired by {@link App#bootstrap()}; the default action opens the databases and loads the collections. */
public class BootstrapEvent extends Event {
    private final App app;

    public BootstrapEvent(App app) {
        this.app = app;
    }

    public App app() {
        return app;
    }
}
