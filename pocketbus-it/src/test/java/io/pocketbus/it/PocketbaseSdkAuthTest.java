package io.pocketbus.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.pocketbus.Pocketbus;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.core.Settings;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code src/test/node/pocketbase-sdk-auth.test.mjs}: the official SDK goes through the mail-based auth
 * flows (verification, password reset, email change, OTP) and impersonation against a Pocketbus whose SMTP
 * settings point at GreenMail on loopback. The Node side reads each mail through a small loopback mailbox
 * endpoint served by this test ({@code GET /mail?to=<address>&count=<n>} → the n-th mail to that address).
 */
class PocketbaseSdkAuthTest {
    private static final String EMAIL = "sdk-admin@example.com";
    private static final String PASSWORD = "sdk-password-123";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long MAIL_WAIT_MS = 20_000;

    @TempDir
    Path dir;

    @Test
    void theOfficialSdkCompletesTheMailFlows() throws Exception {
        Path moduleDir = Path.of("").toAbsolutePath();
        assertThat(moduleDir.resolve("node_modules/pocketbase/package.json")).exists();
        GreenMail mail = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        mail.start();
        com.sun.net.httpserver.HttpServer mailbox = mailbox(mail);
        try (Pocketbus pocketbus = Pocketbus.builder().dataDir(dir.resolve("pb_data")).http("127.0.0.1:0").build()) {
            pocketbus.start();
            App app = pocketbus.app();
            Record superuser = new Record(app.findCollectionByNameOrId(Collection.SUPERUSERS).orElseThrow());
            superuser.set("email", EMAIL);
            superuser.set("password", PASSWORD);
            app.save(superuser);
            Settings settings = app.settings();
            ObjectNode smtp = MAPPER.createObjectNode().put("enabled", true).put("host", "127.0.0.1")
                    .put("port", mail.getSmtp().getPort()).put("tls", false);
            settings.merge(MAPPER.createObjectNode().set("smtp", smtp));
            app.saveSettings(settings);
            Collection users = app.findCollectionByNameOrId("users").orElseThrow().copy();
            ((ObjectNode) users.auth().get("otp")).put("enabled", true);
            app.save(users);

            NodeTestRunner.run("src/test/node/pocketbase-sdk-auth.test.mjs", Map.of(
                    "POCKETBUS_URL", pocketbus.url(),
                    "POCKETBUS_SU_EMAIL", EMAIL,
                    "POCKETBUS_SU_PASSWORD", PASSWORD,
                    "MAILBOX_URL", "http://127.0.0.1:" + mailbox.getAddress().getPort()));
        } finally {
            mailbox.stop(0);
            mail.stop();
        }
    }

    /** Serves the received mails to the Node test: waits for the n-th mail to an address. */
    static com.sun.net.httpserver.HttpServer mailbox(GreenMail mail) throws IOException {
        com.sun.net.httpserver.HttpServer server =
                com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/mail", ex -> {
            Map<String, String> q = new java.util.HashMap<>();
            for (String pair : ex.getRequestURI().getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                q.put(kv[0], java.net.URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
            }
            int count = Integer.parseInt(q.getOrDefault("count", "1"));
            byte[] body;
            int status = 200;
            try {
                List<MimeMessage> to = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAIL_WAIT_MS);
                int seen = 0;
                while (to.size() < count && System.nanoTime() < deadline) {
                    mail.waitForIncomingEmail(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                            seen + 1);
                    MimeMessage[] all = mail.getReceivedMessages();
                    seen = all.length;
                    to.clear();
                    for (MimeMessage m : all) {
                        for (Address a : m.getAllRecipients()) {
                            if (a.toString().equalsIgnoreCase(q.get("to"))) {
                                to.add(m);
                            }
                        }
                    }
                }
                if (to.size() < count) {
                    status = 404;
                    body = "{}".getBytes(StandardCharsets.UTF_8);
                } else {
                    MimeMessage m = to.get(count - 1);
                    String html = (String) ((MimeMultipart) m.getContent()).getBodyPart(1).getContent();
                    body = MAPPER.writeValueAsBytes(Map.of("subject", m.getSubject(), "html", html));
                }
            } catch (jakarta.mail.MessagingException e) {
                status = 500;
                body = e.toString().getBytes(StandardCharsets.UTF_8);
            }
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return server;
    }
}
