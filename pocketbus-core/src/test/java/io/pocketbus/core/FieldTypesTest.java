package io.pocketbus.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pocketbus.tools.types.GeoPoint;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Value normalisation, validation codes and JSON options per field type. Relation existence checks need a
 * database and are covered in the SQLite module; these validations do not touch the app.
 */
class FieldTypesTest {
    static final ObjectMapper MAPPER = new ObjectMapper();

    static Record recordWith(Field field, Object value) {
        Collection c = new Collection(CollectionType.BASE, "t");
        c.setFields(List.of(Scaffolds.idField(), field));
        return new Record(c).set(field.name(), value);
    }

    static Optional<String> code(Field field, Object value) {
        return field.validateValue(null, recordWith(field, value)).map(ValidationError::code);
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Test
    void everyTypeRoundTripsItsJsonWithSortedKeys() {
        for (String type : List.of("text", "number", "bool", "email", "url", "editor", "date", "autodate", "select",
                "file", "relation", "json", "password", "geoPoint")) {
            Field f = Field.ofType(type, "f_" + type).orElseThrow();
            f.setId(Field.defaultId(type, f.name()));
            Map<String, Object> map = f.toMap();
            assertThat(List.copyOf(map.keySet())).as(type).isSorted();
            assertThat(map).containsEntry("type", type).containsKeys("id", "name", "system", "hidden", "presentable");
            assertThat(Field.fromJson(MAPPER.valueToTree(map)).toMap()).as(type).isEqualTo(map);
        }
        assertThat(Field.ofType("nope", "x")).isEmpty();
        assertThat(Field.defaultId("text", "id")).isEqualTo("text3208210256");
    }

    @Nested
    class Text {
        TextField f = new TextField("title").setMin(3).setMax(5).setPattern("^[a-z]+$");

        @Test
        void normalisesToStrings() {
            assertThat(f.prepareValue(null)).isEqualTo("");
            assertThat(f.prepareValue(12.0)).isEqualTo("12");
            assertThat(f.prepareValue(json("\"x\""))).isEqualTo("x");
        }

        @Test
        void validatesLengthPatternAndRequired() {
            assertThat(code(f, "")).isEmpty();
            assertThat(code(f.setRequired(true), "")).contains("validation_required");
            assertThat(code(f, "ab")).contains("validation_min_text_constraint");
            assertThat(code(f, "abcdef")).contains("validation_max_text_constraint");
            assertThat(code(f, "ABC")).contains("validation_invalid_format");
            assertThat(code(f, "abcd")).isEmpty();
            ValidationError err = f.validateValue(null, recordWith(f, "ab")).orElseThrow();
            assertThat(err.message()).isEqualTo("Must be at least 3 character(s).");
            assertThat(err.params()).containsEntry("min", 3);
        }

        @Test
        void primaryKeysRejectPathCharacters() {
            TextField id = Scaffolds.idField().setMin(0).setMax(0).setPattern("");
            assertThat(code(id, "a/b")).contains("validation_forbidden_pk_character");
            assertThat(code(id, "con")).contains("validation_reserved_pk");
        }
    }

    @Nested
    class Number {
        NumberField f = new NumberField("n").setMin(1.0).setMax(10.0).setOnlyInt(true);

        @Test
        void normalisesAndWritesGoStyleNumbers() {
            assertThat(f.prepareValue("4.5")).isEqualTo(4.5);
            assertThat(f.prepareValue("")).isEqualTo(0.0);
            assertThat(f.prepareValue(json("7"))).isEqualTo(7.0);
            assertThat(f.jsonValue(3.0)).isEqualTo(3L);
            assertThat(f.jsonValue(3.25)).isEqualTo(3.25);
        }

        @Test
        void validates() {
            assertThat(code(f, 0)).isEmpty();
            assertThat(code(f.setRequired(true), 0)).contains("validation_required");
            assertThat(code(f, 2.5)).contains("validation_only_int_constraint");
            assertThat(code(f, -1)).contains("validation_min_number_constraint");
            assertThat(code(f, 11)).contains("validation_max_number_constraint");
            assertThat(code(f, 5)).isEmpty();
            assertThat(new NumberField("x").toMap()).containsEntry("min", null).containsEntry("max", null);
        }
    }

    @Nested
    class Bool {
        @Test
        void castsLikeGoAndRequiresTrue() {
            BoolField f = new BoolField("b");
            assertThat(f.prepareValue("true")).isEqualTo(true);
            assertThat(f.prepareValue("1")).isEqualTo(true);
            assertThat(f.prepareValue("no")).isEqualTo(false);
            assertThat(f.prepareValue(0)).isEqualTo(false);
            assertThat(code(f.setRequired(true), false)).contains("validation_required");
            assertThat(code(f, true)).isEmpty();
        }
    }

    @Nested
    class Email {
        @Test
        void validatesSyntaxAndDomains() {
            EmailField f = new EmailField("e");
            assertThat(code(f, "nope")).contains("validation_is_email");
            assertThat(code(f, "a@b.com")).isEmpty();
            f.setOnlyDomains(List.of("example.com"));
            assertThat(code(f, "a@b.com")).contains("validation_email_domain_not_allowed");
            assertThat(code(f, "a@example.com")).isEmpty();
            EmailField except = new EmailField("e").setExceptDomains(List.of("spam.com"));
            assertThat(code(except, "x@spam.com")).contains("validation_email_domain_not_allowed");
            assertThat(new EmailField("x").toMap()).containsEntry("onlyDomains", null);
        }
    }

    @Nested
    class Url {
        @Test
        void validatesSyntaxAndDomains() {
            UrlField f = new UrlField("u");
            assertThat(code(f, "not a url")).contains("validation_invalid_url");
            assertThat(code(f, "https://example.com/a")).isEmpty();
            assertThat(code(f.setExceptDomains(List.of("example.com")), "https://example.com"))
                    .contains("validation_url_domain_not_allowed");
        }
    }

    @Nested
    class Editor {
        @Test
        void limitsSize() {
            EditorField f = new EditorField("e").setMaxSize(10);
            assertThat(code(f, "<p>hi</p>")).isEmpty();
            assertThat(code(f, "<p>too long</p>")).contains("validation_content_size_limit");
            assertThat(new EditorField("x").effectiveMaxSize()).isEqualTo(5L << 20);
        }
    }

    @Nested
    class Date {
        @Test
        void normalisesToPocketBaseFormatAndChecksRange() {
            DateField f = new DateField("d");
            assertThat(f.prepareValue("2024-01-02T03:04:05Z")).isEqualTo("2024-01-02 03:04:05.000Z");
            assertThat(f.prepareValue("2024-01-02 03:04:05.678+02:00")).isEqualTo("2024-01-02 01:04:05.678Z");
            assertThat(f.prepareValue("2024-01-02")).isEqualTo("2024-01-02 00:00:00.000Z");
            assertThat(f.prepareValue("garbage")).isEqualTo("");
            f.setMin("2024-01-01 00:00:00.000Z").setMax("2024-12-31 00:00:00.000Z");
            assertThat(code(f, "2023-06-01")).contains("validation_min_greater_equal_than_required");
            assertThat(code(f, "2025-06-01")).contains("validation_max_less_equal_than_required");
            assertThat(code(f, "2024-06-01")).isEmpty();
            assertThat(new DateField("x").toMap()).containsEntry("min", "").containsEntry("max", "");
        }
    }

    @Nested
    class Autodate {
        @Test
        void isNeverSetFromABody() {
            AutodateField f = new AutodateField("created").setOnCreate(true);
            Collection c = new Collection(CollectionType.BASE, "t");
            c.setFields(List.of(Scaffolds.idField(), f));
            Record r = new Record(c).load(Map.of("created", "2020-01-01"));
            assertThat(r.getString("created")).isEmpty();
            assertThat(f.validateValue(null, r)).isEmpty();
        }
    }

    @Nested
    class Select {
        @Test
        void singleAndMultipleValues() {
            SelectField single = new SelectField("s").setValues(List.of("a", "b", "c")).setMaxSelect(1);
            assertThat(single.prepareValue(List.of("a", "b"))).isEqualTo("b");
            assertThat(code(single, "z")).contains("validation_invalid_value");
            SelectField multi = new SelectField("m").setValues(List.of("a", "b", "c")).setMaxSelect(2);
            assertThat(multi.prepareValue("[\"a\",\"b\",\"a\"]")).isEqualTo(List.of("a", "b"));
            assertThat(multi.prepareValue("c")).isEqualTo(List.of("c"));
            assertThat(multi.dbValue(List.of("a"))).isEqualTo("[\"a\"]");
            assertThat(code(multi, List.of("a", "b", "c"))).contains("validation_too_many_values");
            assertThat(code(multi.setRequired(true), List.of())).contains("validation_required");
        }
    }

    @Nested
    class File {
        @Test
        void acceptsOnlyUploadedNewNamesAndCountsThem() {
            FileField f = new FileField("f").setMaxSelect(2);
            assertThat(code(f, List.of("../../etc/passwd"))).contains("validation_invalid_file");
            Record r = recordWith(f, List.of("a.png", "b.png", "c.png"));
            r.markUploaded("f", List.of("a.png", "b.png", "c.png"));
            assertThat(f.validateValue(null, r).map(ValidationError::code)).contains("validation_too_many_files");
            Record ok = recordWith(f, List.of("a.png"));
            ok.markUploaded("f", List.of("a.png"));
            assertThat(f.validateValue(null, ok)).isEmpty();
            assertThat(new FileField("x").setMaxSelect(1).prepareValue(List.of("a.png"))).isEqualTo("a.png");
        }
    }

    @Nested
    class Relation {
        @Test
        void countsIds() {
            RelationField f = new RelationField("r").setMaxSelect(2).setMinSelect(2);
            assertThat(code(f, List.of("a"))).contains("validation_not_enough_values");
            assertThat(code(f, List.of("a", "b", "c"))).contains("validation_too_many_values");
            assertThat(code(f.setRequired(true), List.of())).contains("validation_required");
            assertThat(f.isMultiple()).isTrue();
            assertThat(new RelationField("x").setMaxSelect(1).isMultiple()).isFalse();
        }
    }

    @Nested
    class Json {
        @Test
        void keepsAnyJsonAndLimitsSize() {
            JsonField f = new JsonField("j").setMaxSize(10);
            assertThat(f.prepareValue(Map.of("a", 1))).isEqualTo(json("{\"a\":1}"));
            assertThat(f.prepareValue(new JsonField.RawJson("[1, 2]"))).isEqualTo(json("[1,2]"));
            assertThat(f.dbValue(f.prepareValue(null))).isEqualTo("null");
            assertThat(code(f, List.of("0123456789"))).contains("validation_json_size_limit");
            assertThat(code(f.setRequired(true), null)).contains("validation_required");
        }
    }

    @Nested
    class Password {
        @Test
        void hashesAndValidatesThePlainText() {
            PasswordField f = new PasswordField("password").setMin(8).setRequired(true);
            Record r = recordWith(f, "12345678");
            assertThat(r.getString("password")).startsWith("$2a$10$");
            assertThat(f.validateValue(null, r)).isEmpty();
            assertThat(code(f, "short")).contains("validation_min_text_constraint");
            assertThat(code(f, "x".repeat(72))).contains("validation_max_text_constraint");
            assertThat(code(f, "")).contains("validation_required");
        }
    }

    @Nested
    class GeoPointType {
        @Test
        void parsesAndChecksRanges() {
            GeoPointField f = new GeoPointField("p");
            assertThat(f.prepareValue(Map.of("lon", 10, "lat", 20))).isEqualTo(new GeoPoint(10, 20));
            assertThat(f.prepareValue(new JsonField.RawJson("{\"lat\":1.5,\"lon\":2}"))).isEqualTo(new GeoPoint(2, 1.5));
            assertThat(f.jsonValue(new GeoPoint(1, 2)).toString()).isEqualTo("{lon=1, lat=2}");
            assertThat(code(f, Map.of("lon", 200, "lat", 0))).contains("validation_invalid_longitude");
            assertThat(code(f, Map.of("lon", 0, "lat", 91))).contains("validation_invalid_latitude");
            assertThat(code(f.setRequired(true), Map.of("lon", 0, "lat", 0))).contains("validation_required");
        }
    }
}
