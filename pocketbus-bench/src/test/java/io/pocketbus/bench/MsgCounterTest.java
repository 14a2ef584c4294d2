package io.pocketbus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MsgCounterTest {
    private static final byte[] STREAM = ("MSG a 1 5\r\nhello\r\nPING\r\nHMSG b 2 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
            + "MSG c 1 6\r\nMSG x\n\r\nPONG\r\n-ERR 'Slow Consumer'\r\n").getBytes(StandardCharsets.US_ASCII);

    @Test
    void countsFramesWhateverTheReadBoundaries() {
        for (int chunk = 1; chunk <= STREAM.length; chunk++) {
            MsgCounter counter = new MsgCounter();
            for (int i = 0; i < STREAM.length; i += chunk) {
                counter.feed(STREAM, i, Math.min(chunk, STREAM.length - i));
            }
            assertThat(counter.messages()).as("chunk %d", chunk).isEqualTo(3);
            assertThat(counter.pongs()).isEqualTo(1);
            assertThat(counter.takePings()).isEqualTo(1);
            assertThat(counter.error()).isEqualTo("-ERR 'Slow Consumer'");
        }
    }
}
