package io.pocketbus.tools.hook;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An ordered chain of handlers for one kind of event, PocketBase's {@code hook.Hook}. Triggering runs the
 * handlers by priority; each continues the chain with {@code e.next()}, and the trigger's own final
 * function (the default action) runs last.
 */
public class Hook<E extends Event> {
    private static final AtomicLong GENERATED_IDS = new AtomicLong();

    private final ReentrantLock lock = new ReentrantLock();
    private volatile List<Handler<E>> handlers = List.of();

    /** Binds a handler, replacing any handler bound with the same id. Returns the id. */
    public String bind(Handler<E> handler) {
        lock.lock();
        try {
            List<Handler<E>> next = new ArrayList<>(handlers.size() + 1);
            boolean replaced = false;
            for (Handler<E> existing : handlers) {
                if (existing.id().equals(handler.id())) {
                    next.add(handler);
                    replaced = true;
                } else {
                    next.add(existing);
                }
            }
            if (!replaced) {
                next.add(handler);
            }
            // stable sort keeps bind order within one priority
            next.sort(Comparator.comparingInt(Handler::priority));
            handlers = List.copyOf(next);
            return handler.id();
        } finally {
            lock.unlock();
        }
    }

    /** Binds a function with priority 0 under a generated id, which is returned. */
    public String bindFunc(HookFunction<E> function) {
        return bind(Handler.of(generateId(), function));
    }

    /** A fresh handler id, for handlers bound without one. */
    static String generateId() {
        return "__generated_" + GENERATED_IDS.incrementAndGet();
    }

    public void unbind(String... ids) {
        lock.lock();
        try {
            List<String> remove = List.of(ids);
            handlers = handlers.stream().filter(h -> !remove.contains(h.id())).toList();
        } finally {
            lock.unlock();
        }
    }

    public void unbindAll() {
        lock.lock();
        try {
            handlers = List.of();
        } finally {
            lock.unlock();
        }
    }

    public int length() {
        return handlers.size();
    }

    /**
     * Runs the chain on the event; {@code finalFunction} runs after the last handler that called
     * {@code next()}. A trigger nested inside a handler on the same event restores the outer chain after.
     */
    public void trigger(E event, HookFunction<E> finalFunction) {
        List<Handler<E>> chain = handlers;
        Runnable outer = event.swapNext(() -> { });
        try {
            step(event, chain, 0, finalFunction);
        } finally {
            event.swapNext(outer);
        }
    }

    /** Runs the chain with no default action. */
    public void trigger(E event) {
        trigger(event, e -> { });
    }

    private void step(E event, List<Handler<E>> chain, int index, HookFunction<E> finalFunction) {
        if (index == chain.size()) {
            event.swapNext(() -> { });
            finalFunction.handle(event);
            return;
        }
        event.swapNext(() -> step(event, chain, index + 1, finalFunction));
        chain.get(index).function().handle(event);
    }
}
