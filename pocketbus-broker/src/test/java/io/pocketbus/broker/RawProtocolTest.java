package io.pocketbus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Byte-level behaviour checked against Debian's nats-server (2.9.10) with the same inputs. */
class RawProtocolTest {
    private static final String QUIET = "CONNECT {\"verbose\":false}\r\n";
    private static Broker broker;

    @BeforeAll
    static void start() {
        broker = Broker.builder().port(0).serverName("raw-test").build().start();
    }

    @AfterAll
    static void stop() {
        broker.shutdown();
    }

    private RawClient client() throws IOException {
        RawClient c = new RawClient(broker.port());
        c.info();
        return c;
    }

    @Test
    void infoCarriesTheFieldsClientsGateOn() throws IOException {
        try (RawClient c = new RawClient(broker.port())) {
            String line = c.info();
            assertThat(line).startsWith("INFO {").endsWith("} \r\n");
            Map<String, Object> info = Json.parseObject(line.substring(5, line.length() - 3));
            assertThat(info).containsEntry("server_name", "raw-test")
                    .containsEntry("version", Broker.SERVER_VERSION)
                    .containsEntry("proto", 1L)
                    .containsEntry("headers", true)
                    .containsEntry("max_payload", 1048576L)
                    .containsEntry("port", (long) broker.port())
                    .containsEntry("client_ip", "127.0.0.1")
                    .containsKey("client_id")
                    .doesNotContainKey("auth_required")
                    .doesNotContainKey("nonce");
            assertThat((String) info.get("server_id")).startsWith("N").hasSize(56);
        }
    }

    @Test
    void verboseAcknowledgesEveryOperationAndVerbsAreCaseInsensitive() throws IOException {
        try (RawClient c = client()) {
            c.send("CONNECT {\"verbose\":true}\r\n");
            assertThat(c.readUntil("+OK\r\n")).isEqualTo("+OK\r\n");
            c.send("sub foo 1\r\nPub foo 2\r\nhi\r\nunsub 1\r\n");
            assertThat(c.sync()).isEqualTo("+OK\r\n+OK\r\nMSG foo 1 2\r\nhi\r\n+OK\r\n");
        }
    }

    @Test
    void connectWithoutVerboseFieldDefaultsToVerbose() throws IOException {
        try (RawClient c = client()) {
            c.send("CONNECT {}\r\n");
            assertThat(c.sync()).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void pubAndSubWithReplyQueueAndTabs() throws IOException {
        try (RawClient c = client()) {
            c.send(QUIET + "SUB\tfoo.*\tq\t7\r\nPUB  foo.bar   inbox.1 3 \r\nabc\r\n");
            assertThat(c.sync()).isEqualTo("MSG foo.bar 7 inbox.1 3\r\nabc\r\n");
        }
    }

    @Test
    void payloadSplitAcrossWritesIsReassembled() throws IOException {
        try (RawClient c = client()) {
            c.send(QUIET + "SUB foo 1\r\nPUB foo 5\r\nhe");
            c.send("ll");
            c.send("o\r");
            c.send("\n");
            assertThat(c.sync()).isEqualTo("MSG foo 1 5\r\nhello\r\n");
        }
    }

    @Test
    void unknownOperationClosesWithError() throws IOException {
        try (RawClient c = client()) {
            c.send("ZZZ\r\n");
            assertThat(c.readToClose()).isEqualTo("-ERR 'Unknown Protocol Operation'\r\n");
        }
    }

    @Test
    void msgFromClientIsUnknown() throws IOException {
        try (RawClient c = client()) {
            c.send(QUIET + "MSG foo 1 1\r\na\r\n");
            assertThat(c.readToClose()).isEqualTo("-ERR 'Unknown Protocol Operation'\r\n");
        }
    }

    @Test
    void unsubWithoutArgumentsIsUnknown() throws IOException {
        try (RawClient c = client()) {
            c.send(QUIET + "UNSUB\r\n");
            assertThat(c.readToClose()).isEqualTo("-ERR 'Unknown Protocol Operation'\r\n");
        }
    }

    @Test
    void payloadNotFollowedByCrlfIsUnknown() throws IOException {
        try (RawClient c = client()) {
            c.send("PUB foo 2\r\nabc\r\n");
            assertThat(c.readToClose()).isEqualTo("-ERR 'Unknown Protocol Operation'\r\n");
        }
    }

    @Test
    void malformedArgumentsCloseSilently() throws IOException {
        for (String bad : new String[] {"PUB foo bar baz 2\r\nab\r\n", "SUB foo\r\n", "PUB foo x\r\n\r\n",
                "PUB foo -1\r\n\r\n", "UNSUB 1 x\r\n", "SUB foo q 1 2\r\n"}) {
            try (RawClient c = client()) {
                c.send(QUIET + bad);
                assertThat(c.readToClose()).as(bad).isEmpty();
            }
        }
    }

    @Test
    void connectThatIsNotJsonClosesSilently() throws IOException {
        try (RawClient c = client()) {
            c.send("CONNECT xx\r\n");
            assertThat(c.readToClose()).isEmpty();
        }
    }

    @Test
    void oversizedPayloadIsRefusedBeforeItIsRead() throws IOException {
        try (RawClient c = client()) {
            c.send("PUB foo 2000000\r\n");
            assertThat(c.readToClose()).isEqualTo("-ERR 'Maximum Payload Violation'\r\n");
        }
    }

    @Test
    void oversizedControlLineIsRefused() throws IOException {
        try (RawClient c = client()) {
            c.send("SUB foo " + "a".repeat(5000));
            assertThat(c.readToClose()).isEqualTo("-ERR 'maximum control line exceeded'\r\n");
        }
    }

    @Test
    void controlLineAtTheLimitIsAccepted() throws IOException {
        try (RawClient c = client()) {
            String subject = "a".repeat(4096 - 2);
            c.send(QUIET + "SUB " + subject + " 1\r\n");
            assertThat(c.sync()).isEmpty();
        }
    }

    @Test
    void invalidSubjectKeepsTheConnectionOpen() throws IOException {
        try (RawClient c = client()) {
            c.send(QUIET + "SUB foo..bar 1\r\nSUB foo.>.bar 2\r\nSUB foo. 3\r\n");
            assertThat(c.sync()).isEqualTo("-ERR 'Invalid Subject'\r\n".repeat(3));
        }
    }

    @Test
    void queueGroupNamesAreNotValidated() throws IOException {
        try (RawClient c = client()) {
            c.send(QUIET + "SUB qn q.* 1\r\nSUB qn q..x 2\r\nPUB qn 1\r\nx\r\n");
            String got = c.sync();
            assertThat(got).doesNotContain("-ERR").contains("MSG qn 1 1\r\nx\r\n", "MSG qn 2 1\r\nx\r\n");
        }
    }

    @Test
    void pedanticRejectsWildcardPublishButStillDelivers() throws IOException {
        try (RawClient c = client()) {
            c.send("CONNECT {\"pedantic\":true}\r\nPUB foo.* 1\r\na\r\n");
            assertThat(c.sync()).isEqualTo("+OK\r\n-ERR 'Invalid Publish Subject'\r\n+OK\r\n");
        }
    }

    @Test
    void connectErrorsThatClose() throws IOException {
        try (RawClient c = client()) {
            c.send("CONNECT {\"protocol\":2}\r\n");
            assertThat(c.readToClose()).isEqualTo("-ERR 'invalid client protocol'\r\n");
        }
        try (RawClient c = client()) {
            c.send("CONNECT {\"no_responders\":true}\r\n");
            assertThat(c.readToClose()).isEqualTo("-ERR 'no responders requires headers support'\r\n");
        }
    }

    @Test
    void hpubWithoutHeadersSupportClosesSilently() throws IOException {
        try (RawClient c = client()) {
            c.send(QUIET + "HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\n");
            assertThat(c.readToClose()).isEmpty();
        }
    }

    @Test
    void headerSizeLargerThanTotalClosesSilently() throws IOException {
        try (RawClient c = client()) {
            c.send("CONNECT {\"verbose\":false,\"headers\":true}\r\nHPUB foo 12 10\r\nNATS/1.0\r\n\r\n\r\n");
            assertThat(c.readToClose()).isEmpty();
        }
    }

    @Test
    void headersAreDeliveredAsHmsgAndStrippedForClientsWithoutHeaders() throws IOException {
        try (RawClient withHeaders = client(); RawClient without = client()) {
            withHeaders.send("CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB h 1\r\n").sync();
            without.send(QUIET + "SUB h 1\r\n").sync();
            withHeaders.send("HPUB h 24 26\r\nNATS/1.0\r\nA: b\r\nC: d\r\n\r\nhi\r\n");
            assertThat(withHeaders.sync()).isEqualTo("HMSG h 1 24 26\r\nNATS/1.0\r\nA: b\r\nC: d\r\n\r\nhi\r\n");
            assertThat(without.readUntil("hi\r\n")).isEqualTo("MSG h 1 2\r\nhi\r\n");
        }
    }

    @Test
    void noRespondersSends503OnTheRequestersOwnInbox() throws IOException {
        try (RawClient c = client()) {
            c.send("CONNECT {\"verbose\":false,\"headers\":true,\"no_responders\":true}\r\n"
                    + "SUB _INBOX.abc.* 1\r\nPUB svc.nobody _INBOX.abc.1 0\r\n\r\n");
            String header = "NATS/1.0 503\r\nNats-Subject: svc.nobody\r\n\r\n";
            assertThat(header).hasSize(32 + "svc.nobody".length());
            assertThat(c.sync()).isEqualTo("HMSG _INBOX.abc.1 1 " + header.length() + " " + header.length()
                    + "\r\n" + header + "\r\n");
        }
    }

    @Test
    void noNoRespondersWithoutTheOption() throws IOException {
        try (RawClient c = client()) {
            c.send("CONNECT {\"verbose\":false,\"headers\":true}\r\nSUB _INBOX.x.* 1\r\nPUB nobody _INBOX.x.1 0\r\n\r\n");
            assertThat(c.sync()).isEmpty();
        }
    }

    @Test
    void unsubWithMaxEndsAfterThatManyMessages() throws IOException {
        try (RawClient c = client()) {
            c.send(QUIET + "SUB foo 1\r\nUNSUB 1 2\r\nPUB foo 1\r\na\r\nPUB foo 1\r\nb\r\nPUB foo 1\r\nc\r\n");
            assertThat(c.sync()).isEqualTo("MSG foo 1 1\r\na\r\nMSG foo 1 1\r\nb\r\n");
            assertThat(broker.subscriptions()).noneMatch(s -> s.subject().equals("foo"));
        }
    }

    @Test
    void unknownSidAndDuplicateSidAreIgnored() throws IOException {
        try (RawClient c = client()) {
            c.send(QUIET + "UNSUB 99\r\nSUB foo 1\r\nSUB foo 1\r\nPUB foo 1\r\na\r\n");
            assertThat(c.sync()).isEqualTo("MSG foo 1 1\r\na\r\n");
        }
    }

    @Test
    void echoOffSuppressesOwnMessages() throws IOException {
        try (RawClient c = client()) {
            c.send("CONNECT {\"verbose\":false,\"echo\":false}\r\nSUB foo 1\r\nPUB foo 1\r\na\r\n");
            assertThat(c.sync()).isEmpty();
        }
    }

    @Test
    void pingVariantsAndIgnoredClientOperations() throws IOException {
        try (RawClient c = client()) {
            c.send(QUIET + "PINGX\r\n+OK\r\nINFO {}\r\nPONG\r\n");
            assertThat(c.readUntil("PONG\r\n")).isEqualTo("PONG\r\n");
            assertThat(c.sync()).isEmpty();
        }
    }

    @Test
    void errFromClientClosesAfterFlushingReplies() throws IOException {
        try (RawClient c = client()) {
            c.send(QUIET + "PING\r\n-ERR 'x'\r\n");
            assertThat(c.readToClose()).isEqualTo("PONG\r\n");
        }
    }

    @Test
    void garbageBytesCloseOnlyThatConnection() throws IOException {
        try (RawClient good = client(); RawClient bad = client()) {
            good.send(QUIET + "SUB g 1\r\n").sync();
            bad.send(new byte[] {0, (byte) 0xff, 13, 10, 1, 2, 3});
            assertThat(bad.readToClose()).isEqualTo("-ERR 'Unknown Protocol Operation'\r\n");
            good.send("PUB g 2\r\nok\r\n");
            assertThat(good.sync()).isEqualTo("MSG g 1 2\r\nok\r\n");
        }
    }
}
