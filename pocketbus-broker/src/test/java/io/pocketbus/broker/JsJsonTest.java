package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsJsonTest {
    @Test
    void timeIsGoRfc3339NanoInUtc() {
        assertThat(JsJson.time(0)).isEqualTo("0001-01-01T00:00:00Z");
        assertThat(JsJson.time(1_000_000_000L)).isEqualTo("1970-01-01T00:00:01Z");
        assertThat(JsJson.time(1_764_316_800_120_000_000L)).isEqualTo("2025-11-28T08:00:00.12Z");
        assertThat(JsJson.time(1_764_316_800_000_000_001L)).isEqualTo("2025-11-28T08:00:00.000000001Z");
        assertThat(JsJson.time(-1)).isEqualTo("1969-12-31T23:59:59.999999999Z");
    }

    @Test
    void timeRoundTripsThroughParse() {
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < 10_000; i++) {
            long nanos = random.nextLong(1, Long.MAX_VALUE);
            if (i % 3 == 0) {
                nanos -= nanos % 1_000_000; // trailing zeros are trimmed
            }
            String text = JsJson.time(nanos);
            assertThat(JsJson.parseTime(text)).as(text).isEqualTo(nanos);
            Instant instant = Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
            assertThat(Instant.parse(text)).isEqualTo(instant);
        }
    }
}
