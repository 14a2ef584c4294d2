package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import io.pocketbus.core.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequestBodyJsonTest {
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() { };

    @Test
    void bodiesBindAsJacksonsUntypedConversion() throws Exception {
        for (String json : List.of("{}", "{\"title\":\"post 1\",\"views\":7}",
                "{\"i\":2147483647,\"l\":2147483648,\"big\":123456789012345678901234567890,\"neg\":-5}",
                "{\"d\":1.5,\"e\":1e3,\"tiny\":4.9E-324,\"z\":-0.0,\"huge\":1.7976931348623157e308}",
                "{\"b\":true,\"f\":false,\"n\":null,\"s\":\"\\u00e9\\n\\\"\"}",
                "{\"a\":[1,\"x\",[true,null],{\"k\":[]}],\"o\":{\"p\":{\"q\":{}}}}",
                "{\"dup\":1,\"dup\":2}")) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            Map<String, Object> expected = Json.MAPPER.convertValue(Json.MAPPER.readTree(bytes), MAP);
            Map<String, Object> actual = RequestBody.parseJsonObject(bytes);
            assertThat(actual).as(json).isEqualTo(expected).isInstanceOf(LinkedHashMap.class);
            assertThat(actual.keySet()).as(json).containsExactlyElementsOf(expected.keySet());
            expected.forEach((k, v) -> assertThat(actual.get(k) == null ? null : actual.get(k).getClass())
                    .as(json + " " + k).isEqualTo(v == null ? null : v.getClass()));
        }
    }

    @Test
    void emptyAndNullBodiesAreEmptyAndOtherShapesAre400() {
        assertThat(RequestBody.parseJsonObject("null".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(RequestBody.parseJsonObject("  ".getBytes(StandardCharsets.UTF_8))).isEmpty();
        for (String bad : List.of("[1]", "\"x\"", "{\"a\":")) {
            assertThatThrownBy(() -> RequestBody.parseJsonObject(bad.getBytes(StandardCharsets.UTF_8))).as(bad)
                    .isInstanceOf(ApiError.class).hasMessage("Failed to read the submitted data.");
        }
    }
}
