package io.pocketbus.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.pocketbus.core.Collection;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchApiTest {
    @TempDir
    Path tmp;

    private static long count(io.pocketbus.core.App app, String title) {
        Collection demo2 = app.findCollectionByNameOrId("demo2").orElseThrow();
        return app.findRecordsByField(demo2, "title", title).size();
    }

    @Test
    void runsEveryRequestInOneTransaction() {
        String body = ApiScenario.of("batch ok").request("POST", "/api/batch").json("{\"requests\":["
                        + "{\"method\":\"POST\",\"url\":\"/api/collections/demo2/records?fields=title\","
                        + "\"body\":{\"title\":\"batch1\"}},"
                        + "{\"method\":\"PATCH\",\"url\":\"/api/collections/demo2/records/llvuca81nly1qls\","
                        + "\"body\":{\"title\":\"batch2\"}},"
                        + "{\"method\":\"PUT\",\"url\":\"/api/collections/demo2/records\","
                        + "\"body\":{\"id\":\"upsertnew000001\",\"title\":\"batch3\"}},"
                        + "{\"method\":\"DELETE\",\"url\":\"/api/collections/demo2/records/achvryl401bhse3\"}]}")
                .status(200)
                .after(app -> {
                    assertThat(count(app, "batch1")).isEqualTo(1);
                    assertThat(app.findRecordById("demo2", "llvuca81nly1qls").orElseThrow().getString("title"))
                            .isEqualTo("batch2");
                    assertThat(app.findRecordById("demo2", "upsertnew000001")).isPresent();
                    assertThat(app.findRecordById("demo2", "achvryl401bhse3")).isEmpty();
                })
                .run(tmp);
        assertThat(body).startsWith("[{\"body\":{\"title\":\"batch1\"},\"status\":200},{\"body\":{");
        assertThat(body).endsWith("{\"body\":null,\"status\":204}]\n");
    }

    @Test
    void aFailingRequestRollsBackTheOthers() {
        ApiScenario.of("batch failure").request("POST", "/api/batch").json("{\"requests\":["
                        + "{\"method\":\"POST\",\"url\":\"/api/collections/demo2/records\",\"body\":{\"title\":\"kept?\"}},"
                        + "{\"method\":\"POST\",\"url\":\"/api/collections/demo2/records\",\"body\":{\"title\":\"\"}}]}")
                .status(400)
                .contains("{\"data\":{\"requests\":{\"1\":{\"code\":\"batch_request_failed\",\"message\":"
                        + "\"Batch request failed.\",\"response\":{\"data\":{\"title\":{\"code\":\"validation_required\"",
                        "\"message\":\"Batch transaction failed.\",\"status\":400}")
                .after(app -> assertThat(count(app, "kept?")).isZero())
                .run(tmp);
    }

    @Test
    void runningPastTheTimeoutRollsEverythingBack() {
        ApiScenario.of("batch timeout").request("POST", "/api/batch").json("{\"requests\":["
                        + "{\"method\":\"POST\",\"url\":\"/api/collections/demo2/records\",\"body\":{\"title\":\"slow\"}}]}")
                .before(app -> {
                    var settings = app.settings();
                    settings.merge(Json.tree(java.util.Map.of("batch", java.util.Map.of("enabled", true, "timeout", 1))));
                    app.saveSettings(settings);
                    // the sub-request outlives the 1 s budget
                    app.onRecordCreate("demo2").bindFunc(ev -> {
                        long until = System.nanoTime() + 1_200_000_000L;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        ev.next();
                    });
                })
                .status(400).contains("{\"data\":{},\"message\":\"Batch transaction failed.\",\"status\":400}")
                .after(app -> assertThat(count(app, "slow")).isZero())
                .run(tmp);
    }

    @Test
    void validatesTheRequestsList() {
        ApiScenario.of("empty").request("POST", "/api/batch").json("{\"requests\":[]}").status(400)
                .contains("\"requests\":{\"code\":\"validation_required\"", "Invalid batch request data.").run(tmp);
        ApiScenario.of("bad item").request("POST", "/api/batch").json("{\"requests\":[{\"method\":\"NOPE\"}]}")
                .status(400).contains("\"requests\":{\"0\":{\"method\":{\"code\":\"validation_in_invalid\"",
                        "\"url\":{\"code\":\"validation_required\"").run(tmp);
        ApiScenario.of("unknown action").request("POST", "/api/batch")
                .json("{\"requests\":[{\"method\":\"GET\",\"url\":\"/api/health\"}]}").status(400)
                .contains("\"0\":{\"code\":\"batch_request_failed\"").run(tmp);
    }

    @Test
    void acceptsMultipartWithJsonPayload() {
        ApiScenario.of("multipart").request("POST", "/api/batch")
                .body("multipart/form-data; boundary=zz", "--zz\r\nContent-Disposition: form-data; "
                        + "name=\"@jsonPayload\"\r\n\r\n{\"requests\":[{\"method\":\"POST\","
                        + "\"url\":\"/api/collections/demo2/records\",\"body\":{\"title\":\"mp\"}}]}\r\n--zz--\r\n")
                .status(200).contains("\"title\":\"mp\"", "\"status\":200")
                .after(app -> assertThat(count(app, "mp")).isEqualTo(1)).run(tmp);
    }
}
