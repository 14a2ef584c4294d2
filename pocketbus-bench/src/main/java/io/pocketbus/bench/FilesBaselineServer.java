package io.pocketbus.bench;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The files baseline: the same HTTP server as Pocketbus (Jetty 12 core on virtual threads) writing a request
 * body straight to a file and reading a file straight into the response — raw disk behind HTTP, no multipart,
 * no records, no checks: the least work that stores and serves a file.
 *
 * <p>Run: {@code java -cp ... io.pocketbus.bench.FilesBaselineServer PORT DIR}; {@code POST /files/NAME} stores,
 * {@code GET /files/NAME} serves.
 */
public final class FilesBaselineServer extends Handler.Abstract {
    private static final String PREFIX = "/files/";

    private final Path dir;

    private FilesBaselineServer(Path dir) {
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(Integer.parseInt(args[0]));
        server.addConnector(connector);
        Path dir = Files.createDirectories(Path.of(args[1]));
        server.setHandler(new FilesBaselineServer(dir));
        server.start();
        server.join();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String path = Request.getPathInContext(request);
        String name = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (!name.matches("[a-z0-9_.]+")) {
            return false;
        }
        Path file = dir.resolve(name);
        if (request.getMethod().equals("POST")) {
            try (var in = Content.Source.asInputStream(request)) {
                Files.write(file, in.readAllBytes());
            }
            response.setStatus(204);
            callback.succeeded();
            return true;
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return false;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, content.length);
        response.write(true, ByteBuffer.wrap(content), callback);
        return true;
    }
}
