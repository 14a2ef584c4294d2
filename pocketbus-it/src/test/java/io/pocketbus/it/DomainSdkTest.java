package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.pocketbus.Pocketbus;
import io.pocketbus.core.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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

            ProcessBuilder node = new ProcessBuilder("node", "--test", "--test-reporter=spec",
                    "src/test/node/domain-sdk.test.mjs").directory(moduleDir.toFile()).redirectErrorStream(true);
            node.environment().put("POCKETBUS_URL", pocketbus.url());
            node.environment().put("MAILBOX_URL", "http://127.0.0.1:" + mailbox.getAddress().getPort());
            node.environment().put("NO_COLOR", "1");
            Process process = node.start();
            CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> read(process));
            boolean finished = process.waitFor(5, TimeUnit.MINUTES);
            if (!finished) {
                process.destroyForcibly();
            }
            String log = output.get(1, TimeUnit.MINUTES);
            System.out.println(log);
            assertThat(finished).as("node --test finished in time:%n%s", log).isTrue();
            assertThat(process.exitValue()).as("node --test exit code; its output:%n%s", log).isZero();
        } finally {
            mailbox.stop(0);
            mail.stop();
        }
    }

    private static String read(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "failed to read the node output: " + e;
        }
    }
}
