package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlApiTest {
    private static final String SU = "_superusers";

    @TempDir
    Path tmp;

    @Test
    void needsASuperuser() {
        ApiScenario.of("guest").request("POST", "/api/sql").json("{\"query\":\"SELECT 1\"}").status(401).run(tmp);
        ApiScenario.of("user").request("POST", "/api/sql").auth("users", "test@example.com")
                .json("{\"query\":\"SELECT 1\"}").status(403).run(tmp);
        ApiScenario.of("dry run guest").request("POST", "/api/collections/meta/dry-run-view")
                .json("{\"query\":\"SELECT id FROM demo2\"}").status(401).run(tmp);
    }

    @Test
    void selectGivesColumnsAndStringRows() {
        String body = ApiScenario.of("select").request("POST", "/api/sql").auth(SU, "test@example.com")
                .json("{\"query\":\"SELECT id, title, 7 AS n, NULL AS z FROM demo2 WHERE id = 'llvuca81nly1qls'\"}")
                .status(200)
                .contains("\"affectedRows\":0,\"columns\":[{\"name\":\"id\",\"type\":\"TEXT\",",
                        "{\"name\":\"n\",", "\"rows\":[[\"llvuca81nly1qls\",\"test1\",\"7\",null]]}")
                .run(tmp);
        assertThat(body).startsWith("{\"execTime\":");
    }

    @Test
    void writesRunInATransactionAndReportAffectedRows() {
        ApiScenario.of("update").request("POST", "/api/sql").auth(SU, "test@example.com")
                .json("{\"query\":\"UPDATE demo2 SET title = 'via sql' WHERE id = 'llvuca81nly1qls'\"}")
                .status(200).contains("\"affectedRows\":1,\"columns\":[],\"rows\":[]")
                .after(app -> assertThat(app.findRecordById("demo2", "llvuca81nly1qls").orElseThrow()
                        .getString("title")).isEqualTo("via sql"))
                .run(tmp);
    }

    @Test
    void badQueriesAre400() {
        ApiScenario.of("missing").request("POST", "/api/sql").auth(SU, "test@example.com").json("{}")
                .status(400).contains("\"query\":{\"code\":\"validation_required\"").run(tmp);
        ApiScenario.of("too long").request("POST", "/api/sql").auth(SU, "test@example.com")
                .json("{\"query\":\"SELECT '" + "x".repeat(5000) + "'\"}")
                .status(400).contains("\"query\":{\"code\":\"validation_length_out_of_range\"").run(tmp);
        ApiScenario.of("syntax").request("POST", "/api/sql").auth(SU, "test@example.com")
                .json("{\"query\":\"SELECT FROM nowhere\"}")
                .status(400).contains("\"message\":\"Failed to execute query. Raw error:").run(tmp);
        ApiScenario.of("malformed").request("POST", "/api/sql").auth(SU, "test@example.com")
                .json("{\"query\":")
                .status(400).contains("An error occurred while loading the submitted data.").run(tmp);
    }

    @Test
    void dryRunViewAnswersFieldsAndSampleRecordsAsPocketBase() {
        String body = ApiScenario.of("dry run").request("POST", "/api/collections/meta/dry-run-view")
                .auth(SU, "test@example.com").json("{\"query\":\"SELECT id, title, 7 AS n FROM demo2;\"}")
                .status(200)
                .contains("{\"fields\":[{", "\"name\":\"id\",", "\"primaryKey\":true", "\"name\":\"title\",",
                        "\"type\":\"text\"", "\"name\":\"n\",\"presentable\":false,\"required\":false,\"system\":false,\"type\":\"json\"",
                        "\"sample\":[{\"collectionId\":\"pbc_", "\"collectionName\":\"temp_view_", "\"n\":7,",
                        "\"id\":\"llvuca81nly1qls\",", "\"title\":\"test1\"")
                .run(tmp);
        int records = body.split("\"collectionName\":").length - 1;
        assertThat(records).isBetween(1, SqlApi.DRY_RUN_ROWS);
        assertThat(body.indexOf("\"fields\":")).isLessThan(body.indexOf("\"sample\":"));

        ApiScenario.of("numeric ids become text").request("POST", "/api/collections/meta/dry-run-view")
                .auth(SU, "test@example.com")
                .json("{\"query\":\"SELECT (ROW_NUMBER() OVER()) AS id, title FROM demo2\"}")
                .status(200).contains("\"id\":\"1\",").run(tmp);
    }

    @Test
    void dryRunViewRefusesWhatCannotBeAViewWithTheRawReason() {
        ApiScenario.of("not a select").request("POST", "/api/collections/meta/dry-run-view")
                .auth(SU, "test@example.com").json("{\"query\":\"DELETE FROM demo2\"}")
                .status(400).contains("\"data\":{},\"message\":\"Invalid view query. Raw error: \\n")
                .after(app -> assertThat(app.findRecordById("demo2", "llvuca81nly1qls")).isPresent())
                .run(tmp);
        ApiScenario.of("two statements").request("POST", "/api/collections/meta/dry-run-view")
                .auth(SU, "test@example.com").json("{\"query\":\"SELECT id FROM demo2; DELETE FROM demo2\"}")
                .status(400).contains("Invalid view query. Raw error:")
                .after(app -> assertThat(app.findRecordById("demo2", "llvuca81nly1qls")).isPresent())
                .run(tmp);
        ApiScenario.of("no id").request("POST", "/api/collections/meta/dry-run-view")
                .auth(SU, "test@example.com").json("{\"query\":\"SELECT title FROM demo2\"}")
                .status(400).contains("Invalid view query. Raw error:", "id column").run(tmp);
        ApiScenario.of("duplicate ids").request("POST", "/api/collections/meta/dry-run-view")
                .auth(SU, "test@example.com").json("{\"query\":\"SELECT 'same' AS id FROM demo2\"}")
                .status(400).contains("the query could return records with non-unique ids").run(tmp);
        ApiScenario.of("missing query").request("POST", "/api/collections/meta/dry-run-view")
                .auth(SU, "test@example.com").json("{}")
                .status(400).contains("\"query\":{\"code\":\"validation_required\"").run(tmp);
    }
}
