package io.pocketbus.db.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.ExpandFetcher;
import io.pocketbus.core.Record;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExpandTest {
    @TempDir
    Path temp;
    App app;

    @BeforeEach
    void open() {
        app = Fixtures.fixtureApp(temp);
    }

    @AfterEach
    void close() {
        app.close();
    }

    private Record demo4(String id) {
        return app.findRecordById("demo4", id).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> expandOf(Map<String, Object> json) {
        return (Map<String, Object>) json.get("expand");
    }

    @Test
    void singleAndMultipleRelationsKeepStoredOrder() {
        Record r = demo4("qzaqccwrmva4o1n");
        app.expandRecords(List.of(r), " rel_one_cascade , rel_many_no_cascade_required,unknown_field");
        Map<String, Object> expand = expandOf(r.toJson());
        assertThat(expand).containsOnlyKeys("rel_one_cascade", "rel_many_no_cascade_required");
        assertThat(((Map<?, ?>) expand.get("rel_one_cascade")).get("id")).isEqualTo("7nwo8tuiatetxdm");
        List<Object> ids = ((List<?>) expand.get("rel_many_no_cascade_required")).stream()
                .map(x -> ((Map<?, ?>) x).get("id")).map(Object.class::cast).toList();
        assertThat(ids).containsExactly("lcl9d87w22ml6jy", "1tmknxy2868d869");
    }

    @Test
    void backRelationsAndNesting() {
        Record d3 = app.findRecordById("demo3", "lcl9d87w22ml6jy").orElseThrow();
        app.expandRecords(List.of(d3), "demo4_via_rel_one_no_cascade_required.rel_one_cascade");
        Map<String, Object> expand = expandOf(d3.toJson());
        List<?> back = (List<?>) expand.get("demo4_via_rel_one_no_cascade_required");
        assertThat(back).hasSize(2);
        Map<?, ?> first = (Map<?, ?>) back.stream().filter(x -> ((Map<?, ?>) x).get("id").equals("qzaqccwrmva4o1n"))
                .findFirst().orElseThrow();
        assertThat(((Map<?, ?>) ((Map<?, ?>) first.get("expand")).get("rel_one_cascade")).get("id"))
                .isEqualTo("7nwo8tuiatetxdm");
    }

    @Test
    void expandIsEmptyObjectWhenNothingResolvesAndAbsentForUnknownOrDenied() {
        Record lonely = demo4("i9naidtvr6qsgb4");
        app.expandRecords(List.of(lonely), "rel_one_cascade");
        assertThat(lonely.toJson()).containsEntry("expand", Map.of());

        Record unknown = demo4("i9naidtvr6qsgb4");
        app.expandRecords(List.of(unknown), "nope");
        assertThat(unknown.toJson()).doesNotContainKey("expand");

        Record denied = demo4("qzaqccwrmva4o1n");
        app.expandRecords(List.of(denied), "rel_one_cascade", new ExpandFetcher() {
            @Override
            public List<Record> fetch(Collection collection, List<String> ids) {
                throw new AssertionError("must not fetch");
            }

            @Override
            public boolean canView(Collection collection) {
                return false;
            }
        });
        assertThat(denied.toJson()).doesNotContainKey("expand");

        Record filtered = demo4("qzaqccwrmva4o1n");
        app.expandRecords(List.of(filtered), "rel_many_no_cascade_required",
                (c, ids) -> app.findRecordsByIds(c, ids).stream().filter(x -> x.id().startsWith("1")).toList());
        assertThat((List<?>) expandOf(filtered.toJson()).get("rel_many_no_cascade_required")).hasSize(1);
    }
}
