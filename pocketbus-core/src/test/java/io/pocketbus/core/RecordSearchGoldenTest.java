package io.pocketbus.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pocketbus.tools.search.FilterException;
import io.pocketbus.tools.search.SearchProvider;
import io.pocketbus.tools.search.Sql;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The golden files of the filter and rule language: {@code src/test/resources/filter/*.txt}, each case an input
 * (client filter/sort, or rule) with its context, and the exact SQL and parameters it must compile to, or the
 * exact error. The collections are those of PocketBase's own test data ({@code collections.json}, read from the
 * fixture's {@code _collections}).
 *
 * <p>Case format:
 * <pre>
 * === name
 * mode: list | rule | find | create
 * collection: demo4
 * auth: users {"id":"...","email":"...","verified":true}     (or _superusers {...}; absent = guest)
 * query: {"sort":"-title"}          (list params besides the input; also @request.query)
 * body: {...}   headers: {...}   context: default   method: GET
 * input:
 * the filter (list) or rule (other modes), possibly over several lines
 * --- expect
 * SQL: ...          PARAMS: [...]          (list adds COUNT: / COUNT PARAMS:)
 * or ERROR: status message | cause
 * </pre>
 * Regenerate with {@code ./mvnw -pl pocketbus-core test -Dtest=RecordSearchGoldenTest -Dfilter.golden.update=true}
 * (run from the worktree root; it rewrites the files in {@code src/test/resources/filter}); review the diff.
 */
class RecordSearchGoldenTest {

    static final Clock CLOCK = Clock.fixed(Instant.parse("2024-02-10T13:14:15.123Z"), ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final boolean UPDATE = Boolean.getBoolean("filter.golden.update");

    record Case(String name, Map<String, String> headers, String input, String expected) {
    }

    @TestFactory
    Stream<DynamicTest> goldenFiles() throws IOException {
        Map<String, Collection> collections = loadCollections();
        List<DynamicTest> tests = new ArrayList<>();
        Path dir = sourceDir();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                List<Case> cases = parse(Files.readString(file));
                List<String> actuals = new ArrayList<>();
                for (Case c : cases) {
                    String actual = run(c, collections);
                    actuals.add(actual);
                    String expected = UPDATE ? actual : c.expected();
                    tests.add(DynamicTest.dynamicTest(file.getFileName() + ": " + c.name(),
                            () -> assertThat(actual).as(c.input()).isEqualTo(expected)));
                }
                if (UPDATE) {
                    Files.writeString(file, render(cases, actuals));
                }
            }
        }
        assertThat(tests).isNotEmpty();
        return tests.stream();
    }

    static Map<String, Collection> loadCollections() {
        try (InputStream in = RecordSearchGoldenTest.class.getResourceAsStream("/filter/collections.json")) {
            Map<String, Collection> byKey = new LinkedHashMap<>();
            for (JsonNode node : JSON.readTree(in)) {
                Collection c = Collection.fromJson(node);
                byKey.put(c.name(), c);
                byKey.put(c.id(), c);
            }
            return byKey;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String run(Case c, Map<String, Collection> collections) {
        RecordFieldResolver.CollectionLookup lookup = key -> Optional.ofNullable(collections.get(key));
        Collection collection = collections.get(c.headers().get("collection"));
        try {
            Map<String, String> params = stringMap(c.headers().getOrDefault("query", "{}"));
            Map<String, Object> body = objectMap(c.headers().getOrDefault("body", "{}"));
            String mode = c.headers().getOrDefault("mode", "list");
            if (mode.equals("list")) {
                params.put("filter", c.input());
            }
            RequestInfo info = new RequestInfo(c.headers().getOrDefault("context", "default"),
                    c.headers().getOrDefault("method", "GET"), params,
                    stringMap(c.headers().getOrDefault("headers", "{}")), body, auth(c.headers().get("auth"), collections));
            return switch (mode) {
                case "list" -> {
                    SearchProvider.SearchPlan plan = RecordSearch.plan(lookup, collection, info, params, CLOCK);
                    yield "SQL: " + plan.items().text() + "\nPARAMS: " + params(plan.items())
                            + plan.count().map(s -> "\nCOUNT: " + s.text() + "\nCOUNT PARAMS: " + params(s)).orElse("");
                }
                case "rule" -> sql(RuleCheck.accessQuery(lookup, collection, "RECORD_ID", info, c.input(), CLOCK));
                case "find" -> sql(RuleCheck.findQuery(lookup, collection, "RECORD_ID", info, Optional.of(c.input()), CLOCK));
                case "create" -> {
                    Record draft = new Record(collection).load(body);
                    yield sql(RuleCheck.draftQuery(lookup, draft, info, c.input(), CLOCK));
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            };
        } catch (ApiError e) {
            String cause = e.getCause() == null ? "" : " | " + e.getCause().getMessage();
            return "ERROR: " + e.status() + " " + e.message() + cause;
        } catch (FilterException e) {
            return "ERROR: " + e.getMessage();
        }
    }

    private static String sql(Sql sql) {
        return "SQL: " + sql.text() + "\nPARAMS: " + params(sql);
    }

    private static String params(Sql sql) {
        try {
            return JSON.writeValueAsString(sql.params());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Record> auth(String spec, Map<String, Collection> collections) {
        if (spec == null || spec.isBlank()) {
            return Optional.empty();
        }
        int space = spec.indexOf(' ');
        Record record = new Record(collections.get(spec.substring(0, space)));
        objectMap(spec.substring(space + 1)).forEach((k, v) -> {
            if (k.equals("id")) {
                record.setId((String) v);
            } else {
                record.set(k, v);
            }
        });
        record.markAsNew(false);
        return Optional.of(record);
    }

    private static Map<String, String> stringMap(String json) {
        try {
            return new LinkedHashMap<>(JSON.readValue(json, new TypeReference<Map<String, String>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, Object> objectMap(String json) {
        try {
            return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Case> parse(String text) {
        List<Case> cases = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            if (!lines[i].startsWith("=== ")) {
                i++;
                continue;
            }
            String name = lines[i].substring(4).strip();
            i++;
            Map<String, String> headers = new LinkedHashMap<>();
            while (i < lines.length && !lines[i].equals("input:")) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip());
                }
                i++;
            }
            i++;
            StringBuilder input = new StringBuilder();
            while (i < lines.length && !lines[i].equals("--- expect")) {
                input.append(input.isEmpty() ? "" : "\n").append(lines[i]);
                i++;
            }
            i++;
            StringBuilder expected = new StringBuilder();
            while (i < lines.length && !lines[i].startsWith("=== ")) {
                expected.append(expected.isEmpty() ? "" : "\n").append(lines[i]);
                i++;
            }
            cases.add(new Case(name, headers, input.toString(), expected.toString().strip()));
        }
        return cases;
    }

    private static String render(List<Case> cases, List<String> actuals) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            out.append("=== ").append(c.name()).append('\n');
            c.headers().forEach((k, v) -> out.append(k).append(": ").append(v).append('\n'));
            out.append("input:\n").append(c.input()).append('\n');
            out.append("--- expect\n").append(actuals.get(i)).append("\n\n");
        }
        return out.toString();
    }

    /** The source folder of the golden files, so that an update rewrites the files under version control. */
    private static Path sourceDir() {
        try {
            Path target = Paths.get(RecordSearchGoldenTest.class.getResource("/filter/collections.json").toURI()).getParent();
            Path module = target.getParent().getParent().getParent();
            Path source = module.resolve("src/test/resources/filter");
            return Files.isDirectory(source) ? source : target;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
