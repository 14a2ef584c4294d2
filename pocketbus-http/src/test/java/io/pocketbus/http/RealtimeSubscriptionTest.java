package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RealtimeSubscriptionTest {
    @Test
    void parsesTopicAndOptions() {
        String options = URLEncoder.encode("{\"query\":{\"filter\":\"a = 1\",\"expand\":\"owner\",\"n\":5},"
                + "\"headers\":{\"X-Token\":\"t\"}}", StandardCharsets.UTF_8);
        RealtimeSubscription s = RealtimeSubscription.parse("posts/*?options=" + options);
        assertThat(s.raw()).isEqualTo("posts/*?options=" + options);
        assertThat(s.topic()).isEqualTo("posts/*");
        assertThat(s.query()).containsEntry("filter", "a = 1").containsEntry("expand", "owner").containsEntry("n", "5");
        assertThat(s.headers()).containsExactlyEntriesOf(java.util.Map.of("x_token", "t"));
    }

    @Test
    void unreadableOptionsAreIgnored() {
        RealtimeSubscription s = RealtimeSubscription.parse("posts/*?options=%7Bnot-json");
        assertThat(s.topic()).isEqualTo("posts/*");
        assertThat(s.query()).isEmpty();
        assertThat(s.headers()).isEmpty();
    }

    @Test
    void matchesCollectionByNameOrIdAndRecord() {
        assertThat(RealtimeSubscription.parse("posts/*").match("pbc_1", "posts", "r1"))
                .hasValue(RealtimeSubscription.Kind.LIST);
        assertThat(RealtimeSubscription.parse("posts").match("pbc_1", "posts", "r1"))
                .hasValue(RealtimeSubscription.Kind.LIST);
        assertThat(RealtimeSubscription.parse("pbc_1/r1").match("pbc_1", "posts", "r1"))
                .hasValue(RealtimeSubscription.Kind.VIEW);
        assertThat(RealtimeSubscription.parse("posts/r2").match("pbc_1", "posts", "r1")).isEmpty();
        assertThat(RealtimeSubscription.parse("other/*").match("pbc_1", "posts", "r1")).isEmpty();
        assertThat(RealtimeSubscription.parse("@oauth2").match("pbc_1", "posts", "r1")).isEmpty();
    }
}
