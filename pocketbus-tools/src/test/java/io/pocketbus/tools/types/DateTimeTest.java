package io.pocketbus.tools.types;

import static org.assertj.core.api.Assertions.assertThat;

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
    void numbersPrintLikeGo() {
        assertThat(Numbers.normalise(3.0)).isEqualTo(3L);
        assertThat(Numbers.normalise(-0.5)).isEqualTo(-0.5);
        assertThat(Numbers.toDouble("12.5")).isEqualTo(12.5);
        assertThat(Numbers.toDouble("x")).isZero();
        assertThat(new GeoPoint(1.5, 2).toMap()).containsExactly(
                java.util.Map.entry("lon", 1.5), java.util.Map.entry("lat", 2L));
    }
}
