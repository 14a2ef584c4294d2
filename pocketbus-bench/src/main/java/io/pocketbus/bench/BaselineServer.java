package io.pocketbus.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The data API baseline: the three benchmarked operations (create, view, list 30 with a filter and sort) as
 * hand-written SQL through the same driver, on the same HTTP server, writing the same JSON as Pocketbus —
 * the least work that answers those requests. Its table is laid out as PocketBase lays out a collection's.
 *
 * <p>Run: {@code java -cp ... io.pocketbus.bench.BaselineServer PORT DB_FILE}.
 */
public final class BaselineServer extends Handler.Abstract {
    private static final String PREFIX = "/api/collections/posts/records";
    private static final DateTimeFormatter DATE =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final char[] ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final int READERS = 8;

    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Connection writer;
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);

    private BaselineServer(Path db) throws SQLException {
        writer = open(db);
        try (Statement st = writer.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS posts (id TEXT PRIMARY KEY DEFAULT ('r'||lower(hex(randomblob(7)))) NOT NULL,"
                    + " title TEXT DEFAULT '' NOT NULL, views NUMERIC DEFAULT 0 NOT NULL,"
                    + " created TEXT DEFAULT '' NOT NULL, updated TEXT DEFAULT '' NOT NULL)");
        }
        for (int i = 0; i < READERS; i++) {
            readers.add(open(db));
        }
    }

    public static void main(String[] args) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        server.setHandler(new BaselineServer(Path.of(args[1])));
        server.start();
        server.join();
    }

    private static Connection open(Path db) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + db);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("PRAGMA synchronous=NORMAL");
            st.execute("PRAGMA busy_timeout=10000");
        }
        return c;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        if (!path.startsWith(PREFIX)) {
            return false;
        }
        byte[] body;
        if (request.getMethod().equals("POST") && path.equals(PREFIX)) {
            body = create(json.readTree(Content.Source.asString(request)));
        } else if (request.getMethod().equals("GET") && path.equals(PREFIX)) {
            Fields query = Request.extractQueryParameters(request);
            body = list(Double.parseDouble(query.getValue("minViews")));
        } else if (request.getMethod().equals("GET")) {
            body = view(path.substring(PREFIX.length() + 1));
        } else {
            return false;
        }
        if (body == null) {
            response.setStatus(404);
            body = "{\"data\":{},\"message\":\"The requested resource wasn't found.\",\"status\":404}".getBytes();
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    private byte[] create(com.fasterxml.jackson.databind.JsonNode in) throws Exception {
        String id = newId();
        String now = DATE.format(Instant.now());
        String title = in.path("title").asText("");
        double views = in.path("views").asDouble(0);
        writeLock.lock();
        try (PreparedStatement ps = writer.prepareStatement(
                "INSERT INTO posts (id, title, views, created, updated) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, title);
            ps.setDouble(3, views);
            ps.setString(4, now);
            ps.setString(5, now);
            ps.executeUpdate();
        } finally {
            writeLock.unlock();
        }
        return json.writeValueAsBytes(record(id, title, views, now, now));
    }

    private byte[] view(String id) throws Exception {
        Connection c = readers.take();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, title, views, created, updated FROM posts WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? json.writeValueAsBytes(record(rs)) : null;
            }
        } finally {
            readers.add(c);
        }
    }

    private byte[] list(double minViews) throws Exception {
        Connection c = readers.take();
        try {
            ObjectNode result = json.createObjectNode();
            ArrayNode items = result.putArray("items");
            try (PreparedStatement ps = c.prepareStatement("SELECT id, title, views, created, updated FROM posts"
                    + " WHERE views > ? ORDER BY created DESC, id DESC LIMIT 30 OFFSET 0")) {
                ps.setDouble(1, minViews);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(record(rs));
                    }
                }
            }
            long total;
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM posts WHERE views > ?")) {
                ps.setDouble(1, minViews);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    total = rs.getLong(1);
                }
            }
            result.put("page", 1);
            result.put("perPage", 30);
            result.put("totalItems", total);
            result.put("totalPages", (total + 29) / 30);
            return json.writeValueAsBytes(result);
        } finally {
            readers.add(c);
        }
    }

    private ObjectNode record(ResultSet rs) throws SQLException {
        return record(rs.getString(1), rs.getString(2), rs.getDouble(3), rs.getString(4), rs.getString(5));
    }

    private ObjectNode record(String id, String title, double views, String created, String updated) {
        ObjectNode node = json.createObjectNode();
        node.put("collectionId", "pbc_posts");
        node.put("collectionName", "posts");
        node.put("created", created);
        node.put("id", id);
        node.put("title", title);
        node.put("updated", updated);
        if (views == Math.rint(views)) {
            node.put("views", (long) views);
        } else {
            node.put("views", views);
        }
        return node;
    }

    /** 15 unbiased characters from one draw of secure random bytes, as Pocketbus's RandomStrings makes ids. */
    private String newId() {
        char[] id = new char[15];
        byte[] bytes = new byte[id.length + id.length / 4 + 8];
        int limit = 256 - 256 % ID_ALPHABET.length;
        int filled = 0;
        while (filled < id.length) {
            random.nextBytes(bytes);
            for (int i = 0; i < bytes.length && filled < id.length; i++) {
                int b = bytes[i] & 0xff;
                if (b < limit) {
                    id[filled++] = ID_ALPHABET[b % ID_ALPHABET.length];
                }
            }
        }
        return new String(id);
    }
}
