package io.pocketbus.bridge;

import io.pocketbus.broker.NKey;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CONNECT with issued credentials over a plain socket, returning everything the server sends after INFO
 * until it closes the connection or answers the PING: how a refusal is seen exactly (jnats only reports it
 * after its connect timeout).
 */
final class RawConnect {

    private static final Pattern NONCE = Pattern.compile("\"nonce\":\"([^\"]+)\"");

    private RawConnect() {
    }

    static String attempt(int port, IssuedCredential credential) throws IOException {
        return attempt(port, credential, "");
    }

    /** As {@link #attempt(int, IssuedCredential)}, with protocol lines sent between CONNECT and PING. */
    static String attempt(int port, IssuedCredential credential, String commands) throws IOException {
        return attempt(port, credential.jwt(), credential.seed(), commands);
    }

    /** As {@link #attempt(int, IssuedCredential)}, with a user JWT and seed as the REST API hands them out. */
    static String attempt(int port, String jwt, String seed, String commands) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            InputStream in = s.getInputStream();
            Matcher m = NONCE.matcher(line(in));
            if (!m.find()) {
                throw new IllegalStateException("INFO without a nonce");
            }
            String sig = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(NKey.fromSeed(seed).sign(m.group(1).getBytes(StandardCharsets.UTF_8)));
            String connect = "CONNECT {\"verbose\":false,\"pedantic\":false,\"protocol\":1,\"jwt\":\"" + jwt
                    + "\",\"sig\":\"" + sig + "\"}\r\n" + commands + "PING\r\n";
            s.getOutputStream().write(connect.getBytes(StandardCharsets.US_ASCII));
            StringBuilder answer = new StringBuilder();
            String l;
            while ((l = line(in)) != null) {
                answer.append(l).append('\n');
                if (l.equals("PONG")) {
                    break;
                }
            }
            return answer.toString();
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) != '\n') {
            if (c < 0) {
                return b.isEmpty() ? null : b.toString();
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
