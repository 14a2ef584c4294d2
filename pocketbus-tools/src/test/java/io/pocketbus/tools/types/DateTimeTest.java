package io.pocketbus.tools.types;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DateTimeTest {
    @Test
    void parsesPocketBaseAndIsoFormsAndWritesPocketBaseFormat() {
        assertThat(DateTime.parse("2022-10-12 11:42:58.215Z")).get().hasToString("2022-10-12 11:42:58.215Z");
        assertThat(DateTime.parse("2022-10-12T11:42:58Z")).get().hasToString("2022-10-12 11:42:58.000Z");
        assertThat(DateTime.parse("2022-10-12T11:42:58.123456+01:00")).get().hasToString("2022-10-12 10:42:58.123Z");
        assertThat(DateTime.parse("2022-10-12 11:42:58")).get().hasToString("2022-10-12 11:42:58.000Z");
        assertThat(DateTime.parse("2022-10-12")).get().hasToString("2022-10-12 00:00:00.000Z");
        assertThat(DateTime.parse("")).isEmpty();
        assertThat(DateTime.parse("tomorrow")).isEmpty();
    }

    @Test
    void storedFormReadAndWrittenExactlyAsByTheFormatter() {
        DateTimeFormatter reference = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
        Random random = new Random(42);
        long min = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
        long max = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(min + (long) (random.nextDouble() * (max - min)),
                    random.nextInt(1000) * 1_000_000L);
            String text = reference.format(instant);
            assertThat(new DateTime(instant)).hasToString(text);
            assertThat(DateTime.parse(text)).contains(new DateTime(instant));
            assertThat(DateTime.parse(text.replace(' ', 'T'))).contains(new DateTime(instant));
        }
        for (String edge : List.of("0000-06-01T00:00:00Z", "-0005-01-01T00:00:00Z", "+10000-01-01T00:00:00Z")) {
            Instant instant = Instant.parse(edge);
            assertThat(new DateTime(instant)).hasToString(reference.format(instant));
        }
    }

    @Test
    void storedFormWithInvalidValuesIsNotADate() {
        for (String invalid : List.of("2023-02-29 10:00:00.000Z", "2024-13-01 10:00:00.000Z", "2024-01-01 24:00:00.000Z",
                "2024-01-01 23:60:00.000Z", "2024-01-01 23:00:60.000Z", "2024-01-00 10:00:00.000Z", "2024-01-01 1a:00:00.000Z",
                "2024-01-01 10:00:00.00xZ", "2024-01-01x10:00:00.000Z")) {
            assertThat(DateTime.parse(invalid)).as(invalid).isEmpty();
        }
        assertThat(DateTime.parse("2024-02-29 10:00:00.000Z")).get().hasToString("2024-02-29 10:00:00.000Z");
    }

    @Test
    void numbersPrintLikeGo() {
        assertThat(Numbers.normalise(3.0)).isEqualTo(3L);
        assertThat(Numbers.normalise(-0.5)).isEqualTo(-0.5);
        assertThat(Numbers.toDouble("12.5")).isEqualTo(12.5);
        assertThat(Numbers.toDouble("x")).isZero();
        assertThat(new GeoPoint(1.5, 2).toMap()).containsExactly(
                java.util.Map.entry("lon", 1.5), java.util.Map.entry("lat", 2L));
    }
}
