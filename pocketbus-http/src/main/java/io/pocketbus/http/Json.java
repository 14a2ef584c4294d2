package io.pocketbus.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;

/** The JSON codec of the HTTP API: Go's number formatting, insertion-ordered maps. */
final class Json {
    static final ObjectMapper MAPPER = createMapper();

    private Json() {
    }

    private static ObjectMapper createMapper() {
        SimpleModule numbers = new SimpleModule("go-numbers");
        numbers.addSerializer(Double.class, new GoFloatSerializer<>(Double.class));
        numbers.addSerializer(double.class, new GoFloatSerializer<>(double.class));
        numbers.addSerializer(Float.class, new GoFloatSerializer<>(Float.class));
        ObjectMapper mapper = new ObjectMapper();
        mapper.getFactory().setCharacterEscapes(new GoEscapes());
        return mapper
                .registerModule(numbers)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /** The value as Go's {@code json.Encoder} writes it: HTML characters escaped, a trailing newline. */
    static byte[] write(Object value) {
        try {
            byte[] json = MAPPER.writeValueAsBytes(value);
            byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
            out[json.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The value as a tree, with integral floats turned into integers so they print as Go prints them. */
    static JsonNode tree(Object value) {
        return normalizeFloats(MAPPER.valueToTree(value));
    }

    private static JsonNode normalizeFloats(JsonNode node) {
        if (node.isObject()) {
            var object = (com.fasterxml.jackson.databind.node.ObjectNode) node;
            object.properties().forEach(entry -> entry.setValue(normalizeFloats(entry.getValue())));
        } else if (node.isArray()) {
            var array = (com.fasterxml.jackson.databind.node.ArrayNode) node;
            for (int i = 0; i < array.size(); i++) {
                array.set(i, normalizeFloats(array.get(i)));
            }
        } else if (node.isFloatingPointNumber()) {
            double d = node.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 1e21) {
                return com.fasterxml.jackson.databind.node.BigIntegerNode.valueOf(
                        new BigDecimal(Double.toString(d)).toBigInteger());
            }
        }
        return node;
    }

    /**
     * Go prints a float64 without a trailing {@code .0} ({@code 3}, {@code 1.5}), switching to exponent
     * form below 1e-6 and from 1e21 on.
     */
    static String goFloat(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "null";
        }
        if (value == 0) {
            return "0";
        }
        double abs = Math.abs(value);
        if (abs < 1e-6 || abs >= 1e21) {
            String s = Double.toString(value).replace("E", "e");
            int e = s.indexOf('e');
            String mantissa = s.substring(0, e);
            String exponent = s.substring(e + 1);
            if (mantissa.endsWith(".0")) {
                mantissa = mantissa.substring(0, mantissa.length() - 2);
            }
            int exp = Integer.parseInt(exponent);
            String sign = exp < 0 ? "-" : "+";
            String digits = String.valueOf(Math.abs(exp));
            return mantissa + "e" + sign + (digits.length() < 2 ? "0" + digits : digits);
        }
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** Go escapes {@code < > &} and the JavaScript line separators in strings. */
    private static final class GoEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] escapes;

        GoEscapes() {
            escapes = CharacterEscapes.standardAsciiEscapesForJSON();
            escapes['<'] = CharacterEscapes.ESCAPE_CUSTOM;
            escapes['>'] = CharacterEscapes.ESCAPE_CUSTOM;
            escapes['&'] = CharacterEscapes.ESCAPE_CUSTOM;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return escapes;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return switch (ch) {
                case '<', '>', '&', 0x2028, 0x2029 -> new SerializedString(String.format("\\u%04x", ch));
                default -> null;
            };
        }
    }

    private static final class GoFloatSerializer<T extends Number> extends StdSerializer<T> {
        private static final long serialVersionUID = 1L;

        GoFloatSerializer(Class<T> type) {
            super(type);
        }

        @Override
        public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            double d = value.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                gen.writeNull();
            } else {
                gen.writeNumber(goFloat(d));
            }
        }
    }
}
