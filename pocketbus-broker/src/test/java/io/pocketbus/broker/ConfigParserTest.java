package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** nats-server's configuration syntax. */
class ConfigParserTest {

    private static Map<String, ConfigValue> parse(String text) {
        return ConfigParser.parse(text, "test.conf", Optional.empty(), name -> Optional.empty()).root();
    }

    private static Map<String, ConfigValue> parse(String text, Map<String, String> env) {
        return ConfigParser.parse(text, "test.conf", Optional.empty(), name -> Optional.ofNullable(env.get(name))).root();
    }

    private static Object value(Map<String, ConfigValue> map, String key) {
        return map.get(key).value();
    }

    @Test
    void separatorsCommentsAndScalars() {
        Map<String, ConfigValue> c = parse("""
                # a comment
                a = 1
                b: "two"   // another comment
                c 3.5
                d: true; e: off, f: yes
                'quoted key': 'raw \\n string'
                "dq key" = "tab\\tnew\\nquote\\" hex\\x41"
                neg: -42
                when: 2026-01-02T03:04:05Z
                listen: 127.0.0.1:4222
                host: localhost
                unquoted: some-thing
                """);
        assertThat(value(c, "a")).isEqualTo(1L);
        assertThat(value(c, "b")).isEqualTo("two");
        assertThat(value(c, "c")).isEqualTo(3.5);
        assertThat(value(c, "d")).isEqualTo(true);
        assertThat(value(c, "e")).isEqualTo(false);
        assertThat(value(c, "f")).isEqualTo(true);
        assertThat(value(c, "quoted key")).isEqualTo("raw \\n string");
        assertThat(value(c, "dq key")).isEqualTo("tab\tnew\nquote\" hexA");
        assertThat(value(c, "neg")).isEqualTo(-42L);
        assertThat(value(c, "when")).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(value(c, "listen")).isEqualTo("127.0.0.1:4222");
        assertThat(value(c, "host")).isEqualTo("localhost");
        assertThat(value(c, "unquoted")).isEqualTo("some-thing");
        assertThat(c.get("b").line()).isEqualTo(3);
        assertThat(c.get("b").column()).isEqualTo(1);
        assertThat(c.get("listen").line()).isEqualTo(10);
    }

    @Test
    void sizeSuffixesAsNatsServerReadsThem() {
        Map<String, ConfigValue> c = parse("""
                a: 1k
                b: 1KB
                c: 2M
                d: 2MB
                e: 1Gi
                f: 1gib
                g: 10s
                h: "1MB"
                """);
        assertThat(value(c, "a")).isEqualTo(1000L);
        assertThat(value(c, "b")).isEqualTo(1024L);
        assertThat(value(c, "c")).isEqualTo(2_000_000L);
        assertThat(value(c, "d")).isEqualTo(2L * 1024 * 1024);
        assertThat(value(c, "e")).isEqualTo(1024L * 1024 * 1024);
        assertThat(value(c, "f")).isEqualTo(1024L * 1024 * 1024);
        assertThat(value(c, "g")).isEqualTo("10s");
        assertThat(value(c, "h")).isEqualTo("1MB");
    }

    @Test
    void mapsArraysAndBlocks() {
        Map<String, ConfigValue> c = parse("""
                authorization {
                  users = [
                    {user: alice, password: a}
                    {user: "bob", password: "b"},
                  ]
                  list: [1, 2, "three"]
                  nested { deep: { x = 1 } }
                }
                empty {}
                block: (
                line one
                  line two
                )
                top: after
                """);
        Map<String, ConfigValue> auth = c.get("authorization").asMap();
        List<ConfigValue> users = auth.get("users").asList();
        assertThat(users).hasSize(2);
        assertThat(users.get(1).asMap().get("user").asString()).isEqualTo("bob");
        assertThat(auth.get("list").asList()).extracting(ConfigValue::value).containsExactly(1L, 2L, "three");
        assertThat(auth.get("nested").asMap().get("deep").asMap().get("x").asLong()).isEqualTo(1);
        assertThat(c.get("empty").asMap()).isEmpty();
        assertThat(value(c, "block")).isEqualTo("\nline one\n  line two");
        assertThat(value(c, "top")).isEqualTo("after");
    }

    @Test
    void variablesFromEnclosingScopesThenTheEnvironment() {
        Map<String, ConfigValue> c = parse("""
                TOKEN: "s3cr3t"
                SIZE: 2MB
                authorization { token: $TOKEN }
                max_payload: $SIZE
                from_env: $PB_PORT
                env_map: $PB_MAP
                hash: $2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy
                """, Map.of("PB_PORT", "4333", "PB_MAP", "{ a: 1 }"));
        assertThat(c.get("authorization").asMap().get("token").asString()).isEqualTo("s3cr3t");
        assertThat(value(c, "max_payload")).isEqualTo(2L * 1024 * 1024);
        assertThat(value(c, "from_env")).isEqualTo(4333L);
        assertThat(c.get("env_map").asMap().get("a").asLong()).isEqualTo(1);
        assertThat(value(c, "hash")).isEqualTo("$2a$11$PWIFAL8RsWyGI3jVZtO9Nu8.6jOxzxfZo7c/W0eLk017hjgUKWrhy");

        assertThatThrownBy(() -> parse("a: $MISSING"))
                .isInstanceOf(ConfigException.class).hasMessage("test.conf:1:4: variable reference for 'MISSING' can not be found");
        assertThatThrownBy(() -> parse("a: $LOOP", Map.of("LOOP", "$LOOP")))
                .hasMessageContaining("variable reference cycle");
    }

    @Test
    void includesRelativeToTheIncludingFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/auth.conf"), "authorization { token: included }\n");
        Files.writeString(dir.resolve("main.conf"), "port: 4333\ninclude ./conf.d/auth.conf\ninclude 'missing.conf'\n");
        assertThatThrownBy(() -> ConfigParser.parseFile(dir.resolve("main.conf"), n -> Optional.empty()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("main.conf:3:9: error parsing include file 'missing.conf'");

        Files.writeString(dir.resolve("main.conf"), "port: 4333\ninclude ./conf.d/auth.conf\n");
        Map<String, ConfigValue> c = ConfigParser.parseFile(dir.resolve("main.conf"), n -> Optional.empty()).root();
        assertThat(c.get("authorization").asMap().get("token").asString()).isEqualTo("included");
        assertThat(c.get("authorization").source()).endsWith("auth.conf");
    }

    @Test
    void errorsNameTheLineAndColumn() {
        assertThatThrownBy(() -> parse("a {\n  b: 1\n")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.conf:3:1: unexpected end of file");
        assertThatThrownBy(() -> parse("a: [1, 2\nb: 3")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("test.conf:2:");
        assertThatThrownBy(() -> parse("a: \"bad \\q escape\"")).hasMessageStartingWith("test.conf:1:");
        assertThatThrownBy(() -> parse("x: 1\n  = 2")).hasMessageStartingWith("test.conf:2:3: unexpected key separator");
        assertThatThrownBy(() -> parse("a:\nb: 1")).hasMessageStartingWith("test.conf:1:1: expected a value for \"a\"");
        assertThatThrownBy(() -> parse("a: 99999999999999999999")).hasMessageContaining("out of the range");
        assertThatThrownBy(() -> parse("a: \"unterminated")).hasMessageContaining("end of file");
        assertThatThrownBy(() -> parse("path: ./op.jwt")).hasMessage("test.conf:1:7: floats must start with a digit");
    }

    @Test
    void durations() {
        Map<String, ConfigValue> c = parse("a: \"2m\"\nb: 10\nc: \"1h30m\"\nd: \"250ms\"\ne: 0.5\nf: \"1.5s\"\ng: \"2 minutes\"");
        assertThat(c.get("a").asDuration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(c.get("b").asDuration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.get("c").asDuration()).isEqualTo(Duration.ofMinutes(90));
        assertThat(c.get("d").asDuration()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.get("e").asDuration()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.get("f").asDuration()).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> c.get("g").asDuration()).hasMessage("test.conf:7:1: invalid duration \"2 minutes\"");
    }

    @Test
    void aBareKeysValueMayStartOnTheNextLine() {
        Map<String, ConfigValue> c = parse("authorization\n{\n  token: t\n}\nport\n  4222\n");
        assertThat(c.get("authorization").asMap().get("token").asString()).isEqualTo("t");
        assertThat(value(c, "port")).isEqualTo(4222L);
        assertThatThrownBy(() -> parse("port =\n 4222")).hasMessageStartingWith("test.conf:1:1: expected a value");
    }

    @Test
    void wholeFileInBraces() {
        assertThat(value(parse("{\n port: 4222\n}\n"), "port")).isEqualTo(4222L);
    }
}
