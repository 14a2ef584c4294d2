package io.pocketbus.tools.hook;

import java.util.List;
import java.util.Set;

/**
 * A view of a {@link Hook} whose handlers run only for events carrying one of its tags, as PocketBase's
 * {@code app.OnRecordCreate("posts")}. A view without tags sees every event. Events that do not match
 * pass straight on to the next handler.
 */
public final class TaggedHook<E extends Event & TaggedEvent> {
    private final Hook<E> hook;
    private final Set<String> tags;

    public TaggedHook(Hook<E> hook, String... tags) {
        this.hook = hook;
        this.tags = Set.of(tags);
    }

    public List<String> tags() {
        return List.copyOf(tags);
    }

    public String bind(Handler<E> handler) {
        HookFunction<E> function = handler.function();
        return hook.bind(Handler.of(handler.id(), handler.priority(), e -> {
            if (matches(e)) {
                function.handle(e);
            } else {
                e.next();
            }
        }));
    }

    public String bindFunc(HookFunction<E> function) {
        return bind(Handler.of(Hook.generateId(), function));
    }

    public void unbind(String... ids) {
        hook.unbind(ids);
    }

    private boolean matches(E event) {
        if (tags.isEmpty()) {
            return true;
        }
        for (String tag : event.tags()) {
            if (tags.contains(tag)) {
                return true;
            }
        }
        return false;
    }
}
