package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsPubAckTest {
    private static String ok(String stream, String domain, long seq, boolean duplicate) {
        return new String(JsPubAck.ok(JsPubAck.prefix(stream, domain), seq, duplicate), StandardCharsets.UTF_8);
    }

    @Test
    void rendersStreamDomainSequenceAndDuplicate() {
        assertThat(ok("ORDERS", "", 1, false)).isEqualTo("{\"stream\":\"ORDERS\",\"seq\":1}");
        assertThat(ok("ORDERS", "", 0, false)).isEqualTo("{\"stream\":\"ORDERS\",\"seq\":0}");
        assertThat(ok("KV_b", "hub", 9_876_543_210L, false)).isEqualTo("{\"stream\":\"KV_b\",\"domain\":\"hub\",\"seq\":9876543210}");
        assertThat(ok("S", "", 10, true)).isEqualTo("{\"stream\":\"S\",\"seq\":10,\"duplicate\": true}");
        assertThat(ok("S", "", Long.MAX_VALUE, false)).isEqualTo("{\"stream\":\"S\",\"seq\":" + Long.MAX_VALUE + "}");
    }
}
