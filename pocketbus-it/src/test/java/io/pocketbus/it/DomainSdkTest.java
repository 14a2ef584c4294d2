package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.pocketbus.Pocketbus;
import io.pocketbus.core.Settings;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/node/domain-sdk.test.mjs}: groups, invitations (mailed to GreenMail), projects,
 * transfer, leave and remove with the official SDK against the facade.
 */
class DomainSdkTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theOfficialSdkWorksWithGroupsInvitationsAndProjects() throws Exception {
        Path moduleDir = Path.of("").toAbsolutePath();
        assertThat(moduleDir.resolve("node_modules/pocketbase/package.json")).exists();
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        com.sun.net.httpserver.HttpServer mailbox = PocketbaseSdkAuthTest.mailbox(mail);
        try (Pocketbus pocketbus = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0").build()) {
            pocketbus.start();
            Settings settings = pocketbus.app().settings();
            settings.merge(MAPPER.createObjectNode().set("smtp", MAPPER.createObjectNode().put("enabled", true)
                    .put("host", "127.0.0.1").put("port", mail.getSmtp().getPort()).put("tls", false)));
            pocketbus.app().saveSettings(settings);

            NodeTestRunner.run("src/test/node/domain-sdk.test.mjs", Map.of(
                    "POCKETBUS_URL", pocketbus.url(),
                    "MAILBOX_URL", "http://127.0.0.1:" + mailbox.getAddress().getPort()));
        } finally {
            mailbox.stop(0);
            mail.stop();
        }
    }
}
