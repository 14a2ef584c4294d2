package io.pocketbus.tools.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class SecurityTest {
    @Test
    void jwtSignsAndVerifiesHs256() {
        Map<String, Object> claims = new TreeMap<>(Map.of("id", "abc", "type", "auth",
                "exp", Instant.now().getEpochSecond() + 60));
        String token = Jwt.sign(claims, "key");
        assertThat(token.split("\\.")).hasSize(3);
        assertThat(Jwt.parseVerified(token, "key")).get().satisfies(c -> assertThat(c.get("id").asText()).isEqualTo("abc"));
        assertThat(Jwt.parseVerified(token, "other")).isEmpty();
        assertThat(Jwt.parseUnverified(token)).isPresent();
        assertThat(Jwt.parseUnverified("a.b")).isEmpty();
        String expired = Jwt.sign(Map.of("exp", Instant.now().getEpochSecond() - 1), "key");
        assertThat(Jwt.parseVerified(expired, "key")).isEmpty();
    }

    @Test
    void jwtMatchesTheRfcStyleHs256Example() {
        Map<String, Object> claims = new java.util.LinkedHashMap<>();
        claims.put("sub", "1234567890");
        claims.put("name", "John Doe");
        claims.put("iat", 1516239022);
        assertThat(Jwt.sign(claims, "your-256-bit-secret")).isEqualTo("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
                + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c");
    }

    @Test
    void bcryptHashesAreCompatible() {
        String hash = Passwords.hash("1234567890");
        assertThat(hash).startsWith("$2a$10$").hasSize(60);
        assertThat(Passwords.verify("1234567890", hash)).isTrue();
        assertThat(Passwords.verify("123456789", hash)).isFalse();
        assertThat(Passwords.verify("x", "not a hash")).isFalse();
        // a hash written by PocketBase (Go bcrypt, cost 13) for "1234567890" in its test data
        assertThat(Passwords.verify("1234567890", "$2a$13$uULN32dHTkWQIALJP1N54.22HW/K9/qkXqcmsfz2hOA1wGeuUDbfG")).isTrue();
    }

    @RepeatedTest(5)
    void patternsGenerateMatchingStrings() {
        assertThat(PatternGenerator.generate("[a-z0-9]{15}")).matches("[a-z0-9]{15}");
        assertThat(PatternGenerator.generate("users[0-9]{5}")).matches("users[0-9]{5}");
        assertThat(PatternGenerator.generate("^[a-zA-Z0-9_]{50}$")).matches("[a-zA-Z0-9_]{50}");
        assertThat(PatternGenerator.generate("\\d{2,4}x")).matches("\\d{2,4}x");
        assertThat(RandomStrings.id()).matches("[a-z0-9]{15}");
    }

    @Test
    void randomStringsUseEveryCharacterOfTheAlphabetAlike() {
        String alphabet = RandomStrings.ID_ALPHABET;
        int[] counts = new int[alphabet.length()];
        int draws = 0;
        for (int i = 0; i < 4000; i++) {
            String s = RandomStrings.random(45, alphabet);
            assertThat(s).hasSize(45);
            for (char c : s.toCharArray()) {
                counts[alphabet.indexOf(c)]++;
                draws++;
            }
        }
        // 180,000 draws over 36 characters: 5,000 expected each (standard deviation 70); a modulo bias (the first
        // four characters 8/256 likely instead of 7/256, about 5,600) or a missing character falls outside
        for (int count : counts) {
            assertThat(count).isBetween(draws / 36 - 400, draws / 36 + 400);
        }
        assertThat(RandomStrings.random(0, alphabet)).isEmpty();
        assertThat(RandomStrings.random(3, "x")).isEqualTo("xxx");
        String wide = "abc".repeat(100) + "\u00e9";
        assertThat(RandomStrings.random(20, wide)).hasSize(20).matches("[abc\u00e9]{20}");
    }
}
