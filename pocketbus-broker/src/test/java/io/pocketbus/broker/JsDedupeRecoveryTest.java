package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The duplicate window survives a restart of a file stream, though it is rebuilt only when first needed. */
class JsDedupeRecoveryTest {
    @TempDir
    Path dir;

    private JetStreamAccount open() {
        JetStreamAccount account = new JetStreamAccount("A", JetStreamConfig.storeDir(dir).build(),
                JetStreamLimits.UNLIMITED, new JsRecordingOutput(), new JetStreamAccount.StreamListener() {
                    @Override
                    public void streamAdded(JsStream stream) {
                    }

                    @Override
                    public void streamRemoved(JsStream stream) {
                    }
                });
        account.recover();
        return account;
    }

    private static String ack(JsStream s, String headers, String payload) {
        return new String(s.publish("d.x", headers.getBytes(StandardCharsets.UTF_8),
                payload.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    private static String msgId(String id) {
        return "NATS/1.0\r\nNats-Msg-Id: " + id + "\r\n\r\n";
    }

    @Test
    void msgIdsStoredBeforeARestartAreStillDuplicates() {
        JetStreamAccount before = open();
        JsApiReply created = JetStreamApi.handle(Optional.of(before), "$JS.API.STREAM.CREATE.D", "_INBOX.api",
                new byte[0], "{\"name\":\"D\",\"subjects\":[\"d.>\"],\"storage\":\"file\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(created.payload(), StandardCharsets.UTF_8)).doesNotContain("\"error\"");
        JsStream s = before.requireStream("D");
        assertThat(ack(s, msgId("a"), "1")).isEqualTo("{\"stream\":\"D\",\"seq\":1}");
        assertThat(ack(s, msgId("b"), "2")).isEqualTo("{\"stream\":\"D\",\"seq\":2}");
        before.close();

        JetStreamAccount after = open();
        try {
            JsStream again = after.requireStream("D");
            // a publish without headers does not need the window, and must not lose it
            assertThat(ack(again, "", "3")).isEqualTo("{\"stream\":\"D\",\"seq\":3}");
            assertThat(ack(again, msgId("a"), "1")).isEqualTo("{\"stream\":\"D\",\"seq\":1,\"duplicate\": true}");
            assertThat(ack(again, "NATS/1.0\r\nNats-Expected-Last-Msg-Id: b\r\n\r\n", "4"))
                    .isEqualTo("{\"stream\":\"D\",\"seq\":4}");
            assertThat(again.store().fastState().msgs()).isEqualTo(4);
        } finally {
            after.close();
        }
    }
}
