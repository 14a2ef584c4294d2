package io.pocketbus.tools.cron;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleTest {
    // 2026-11-28 is a Saturday (day of week 6)
    private static final LocalDateTime SAT = LocalDateTime.of(2026, 11, 28, 6, 30);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "* * * * *|2026-11-28T06:30|true",
            "30 6 * * *|2026-11-28T06:30|true",
            "31 6 * * *|2026-11-28T06:30|false",
            "*/15 * * * *|2026-11-28T06:30|true",
            "*/7 * * * *|2026-11-28T06:30|false",
            "0 */6 * * *|2026-11-28T06:00|true",
            "0 */6 * * *|2026-11-28T07:00|false",
            "10-40/10 * * * *|2026-11-28T06:30|true",
            "10-40/10 * * * *|2026-11-28T06:35|false",
            "0,30 6,18 * * *|2026-11-28T18:00|true",
            "* * 28 11 *|2026-11-28T06:30|true",
            "* * 27 11 *|2026-11-28T06:30|false",
            "* * * * 6|2026-11-28T06:30|true",
            "* * * * 0|2026-11-29T06:30|true",
            "* * * * 1-5|2026-11-28T06:30|false",
            "@hourly|2026-11-28T06:00|true",
            "@hourly|2026-11-28T06:01|false",
            "@daily|2026-11-28T00:00|true",
            "@midnight|2026-11-28T00:00|true",
            "@weekly|2026-11-29T00:00|true",
            "@monthly|2026-12-01T00:00|true",
            "@yearly|2027-01-01T00:00|true",
            "@annually|2027-01-02T00:00|false",
    })
    void matchesMoments(String expression, String moment, boolean due) {
        assertThat(Schedule.parse(expression).isDue(LocalDateTime.parse(moment))).isEqualTo(due);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "* * * *", "* * * * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *",
            "* * * * 7", "a * * * *", "5-1 * * * *", "*/0 * * * *", "1/5 * * * *", "1-2-3 * * * *", "@every", ",1 * * * *"})
    void rejectsInvalidExpressions(String expression) {
        assertThatThrownBy(() -> Schedule.parse(expression)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cronRunsTheDueJobsAndReportsFailures() throws InterruptedException {
        List<String> ran = new CopyOnWriteArrayList<>();
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        Cron cron = Cron.create(errors::add);
        cron.add("a", "30 6 * * *", () -> ran.add("a"));
        cron.add("b", "31 6 * * *", () -> ran.add("b"));
        cron.add("c", "* * * * *", () -> {
            throw new IllegalStateException("boom");
        });
        for (Thread t : cron.runDue(SAT)) {
            t.join();
        }
        assertThat(ran).containsExactly("a");
        assertThat(errors).singleElement().extracting(Throwable::getMessage).isEqualTo("boom");
        assertThat(cron.jobs()).extracting(Job::id).containsExactly("a", "b", "c");
        cron.remove("b");
        assertThat(cron.jobs()).extracting(Job::expression).containsExactly("30 6 * * *", "* * * * *");
        assertThatThrownBy(() -> cron.add("d", "nope", () -> { })).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void startAndStop() {
        Cron cron = Cron.create(e -> { });
        assertThat(cron.hasStarted()).isFalse();
        cron.start();
        assertThat(cron.hasStarted()).isTrue();
        cron.stop();
        assertThat(cron.hasStarted()).isFalse();
    }
}
