package io.pocketbus.tools.picker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class PickerTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String pick(String json, String fields, boolean list) throws Exception {
        JsonNode node = MAPPER.readTree(json);
        return MAPPER.writeValueAsString(Picker.pick(node, fields, list));
    }

    @Test
    void picksTopLevelKeysAndDotPathsWithSortedKeys() throws Exception {
        String record = "{\"title\":\"t\",\"id\":\"1\",\"expand\":{\"rel\":{\"name\":\"n\",\"id\":\"2\"},"
                + "\"rels\":[{\"name\":\"a\",\"x\":1},{\"name\":\"b\",\"x\":2}]}}";
        assertThat(pick(record, "id,title", false)).isEqualTo("{\"id\":\"1\",\"title\":\"t\"}");
        assertThat(pick(record, "id,expand.rel.name,expand.rels.x", false))
                .isEqualTo("{\"expand\":{\"rel\":{\"name\":\"n\"},\"rels\":[{\"x\":1},{\"x\":2}]},\"id\":\"1\"}");
        assertThat(pick(record, "id, unknown", false)).isEqualTo("{\"id\":\"1\"}");
    }

    @Test
    void starKeepsEveryKeyAtItsLevel() throws Exception {
        String record = "{\"b\":1,\"a\":{\"x\":1,\"y\":2}}";
        assertThat(pick(record, "*", false)).isEqualTo("{\"a\":{\"x\":1,\"y\":2},\"b\":1}");
        assertThat(pick(record, "*,a.x", false)).isEqualTo("{\"a\":{\"x\":1},\"b\":1}");
        assertThat(pick("{\"a\":{\"x\":1,\"y\":2}}", "a.*", false)).isEqualTo("{\"a\":{\"x\":1,\"y\":2}}");
    }

    @Test
    void listResultsArePickedInsideItems() throws Exception {
        String list = "{\"items\":[{\"id\":\"1\",\"t\":\"a\"}],\"page\":1,\"perPage\":30,\"totalItems\":1,"
                + "\"totalPages\":1}";
        assertThat(pick(list, "id", true)).isEqualTo("{\"items\":[{\"id\":\"1\"}],\"page\":1,\"perPage\":30,"
                + "\"totalItems\":1,\"totalPages\":1}");
        assertThat(pick("[{\"id\":\"1\",\"t\":\"a\"},{\"id\":\"2\"}]", "t", false))
                .isEqualTo("[{\"t\":\"a\"},{}]");
    }

    @Test
    void appliesTheExcerptModifier() throws Exception {
        String record = "{\"id\":\"1\",\"body\":\"<p>Hello <b>big</b></p><p>world</p>\",\"n\":5}";
        assertThat(pick(record, "body:excerpt(100)", false)).isEqualTo("{\"body\":\"Hello big world\"}");
        assertThat(pick(record, "*,body:excerpt(5,true)", false))
                .isEqualTo("{\"body\":\"Hello...\",\"id\":\"1\",\"n\":5}");
        assertThat(pick(record, "n:excerpt(1)", false)).isEqualTo("{\"n\":5}");
    }

    @Test
    void rejectsUnknownModifiersAndBadArguments() {
        JsonNode node = MAPPER.createObjectNode().put("a", "x");
        assertThatThrownBy(() -> Picker.pick(node, "a:nope(1)", false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Picker.pick(node, "a:excerpt()", false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Picker.pick(node, "a:excerpt(0)", false))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Picker.pick(node, "a:excerpt(1,true,x)", false))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
