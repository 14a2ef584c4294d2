package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.List;
import java.util.Optional;

/**
 * Fuzz target for the protocol parser. In a normal test run Jazzer replays the seed corpus in
 * {@code src/test/resources/io/pocketbus/broker/ProtocolParserFuzzTestInputs/parse}; with
 * {@code JAZZER_FUZZ=1} it fuzzes. Properties: the parser only ever fails with a {@link ProtocolViolation},
 * and feeding the same bytes in two chunks gives the same events and the same outcome as one chunk.
 */
class ProtocolParserFuzzTest {

    private record Outcome(List<String> events, Optional<String> error) {
    }

    private static Outcome run(byte[] input, int split, boolean headers, boolean awaitingConnect) {
        ProtocolParserTest.Recorder r = new ProtocolParserTest.Recorder();
        r.headers = headers;
        r.awaitingConnect = awaitingConnect;
        ProtocolParser p = new ProtocolParser(r, 256);
        try {
            if (split <= 0 || split >= input.length) {
                p.parse(input, 0, input.length);
            } else {
                p.parse(input, 0, split);
                p.parse(input, split, input.length - split);
            }
            return new Outcome(r.events, Optional.empty());
        } catch (ProtocolViolation v) {
            return new Outcome(r.events, Optional.of(v.clientError().orElse("<silent>")));
        }
    }

    @FuzzTest(maxDuration = "30s")
    void parse(FuzzedDataProvider data) {
        boolean headers = data.consumeBoolean();
        boolean awaitingConnect = data.consumeBoolean();
        int split = data.consumeInt(0, 300);
        byte[] input = data.consumeRemainingAsBytes();
        Outcome whole = run(input, 0, headers, awaitingConnect);
        Outcome chunked = run(input, split, headers, awaitingConnect);
        assertThat(chunked).isEqualTo(whole);
    }
}
