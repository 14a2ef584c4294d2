package io.pocketbus.tools.hook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HookTest {
    static final class Probe extends Event implements TaggedEvent {
        final List<String> calls = new ArrayList<>();
        final List<String> tags;

        Probe(String... tags) {
            this.tags = List.of(tags);
        }

        @Override
        public List<String> tags() {
            return tags;
        }
    }

    @Test
    void runsByPriorityThenBindOrderAndFinalLast() {
        Hook<Probe> hook = new Hook<>();
        hook.bind(Handler.of("b", 0, e -> { e.calls.add("b"); e.next(); }));
        hook.bind(Handler.of("a", -5, e -> { e.calls.add("a"); e.next(); }));
        hook.bindFunc(e -> { e.calls.add("c"); e.next(); });
        Probe probe = new Probe();
        hook.trigger(probe, e -> e.calls.add("final"));
        assertThat(probe.calls).containsExactly("a", "b", "c", "final");
    }

    @Test
    void handlerThatDoesNotCallNextStopsTheChain() {
        Hook<Probe> hook = new Hook<>();
        hook.bindFunc(e -> e.calls.add("stop"));
        hook.bindFunc(e -> { e.calls.add("never"); e.next(); });
        Probe probe = new Probe();
        hook.trigger(probe, e -> e.calls.add("final"));
        assertThat(probe.calls).containsExactly("stop");
    }

    @Test
    void bindingTheSameIdReplacesAndUnbindRemoves() {
        Hook<Probe> hook = new Hook<>();
        hook.bind(Handler.of("x", e -> { e.calls.add("x1"); e.next(); }));
        hook.bind(Handler.of("x", e -> { e.calls.add("x2"); e.next(); }));
        assertThat(hook.length()).isEqualTo(1);
        Probe probe = new Probe();
        hook.trigger(probe);
        assertThat(probe.calls).containsExactly("x2");
        hook.unbind("x");
        assertThat(hook.length()).isZero();
    }

    @Test
    void errorsPropagateToTheTrigger() {
        Hook<Probe> hook = new Hook<>();
        hook.bindFunc(e -> { throw new IllegalStateException("refused"); });
        assertThatThrownBy(() -> hook.trigger(new Probe(), e -> { })).hasMessage("refused");
    }

    @Test
    void nestedTriggerOnTheSameEventRestoresTheOuterChain() {
        Hook<Probe> inner = new Hook<>();
        inner.bindFunc(e -> { e.calls.add("inner"); e.next(); });
        Hook<Probe> outer = new Hook<>();
        outer.bindFunc(e -> { inner.trigger(e, x -> x.calls.add("inner-final")); e.next(); });
        outer.bindFunc(e -> { e.calls.add("outer2"); e.next(); });
        Probe probe = new Probe();
        outer.trigger(probe, e -> e.calls.add("outer-final"));
        assertThat(probe.calls).containsExactly("inner", "inner-final", "outer2", "outer-final");
    }

    @Test
    void taggedHandlersSeeOnlyTheirTags() {
        Hook<Probe> hook = new Hook<>();
        new TaggedHook<>(hook, "posts").bindFunc(e -> { e.calls.add("posts"); e.next(); });
        new TaggedHook<>(hook).bindFunc(e -> { e.calls.add("all"); e.next(); });
        Probe posts = new Probe("pbc_1", "posts");
        hook.trigger(posts, e -> e.calls.add("final"));
        assertThat(posts.calls).containsExactly("posts", "all", "final");
        Probe users = new Probe("pbc_2", "users");
        hook.trigger(users, e -> e.calls.add("final"));
        assertThat(users.calls).containsExactly("all", "final");
    }
}
