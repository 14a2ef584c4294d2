package io.pocketbus.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches an OAuth2 provider's avatar for a file field, as PocketBase's {@code NewFileFromURL}: any 2xx/3xx
 * answer within 15 s, named after the URL's last path segment. At most one byte more than the field allows
 * is read, so an oversized picture still fails the field's size check without being held in memory whole.
 */
final class OAuth2Avatars {
    private static final Logger LOG = LoggerFactory.getLogger(OAuth2Avatars.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    /** The picture as an upload for {@code field}; empty (and a warning logged) when it cannot be fetched. */
    Optional<UploadedFile> download(String url, String field, long maxSize) {
        try {
            URI uri = URI.create(url);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new IOException("unsupported URL scheme");
            }
            HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET()
                    .build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] content;
            try (InputStream in = response.body()) {
                if (response.statusCode() < 200 || response.statusCode() > 399) {
                    throw new IOException("status " + response.statusCode());
                }
                content = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxSize + 1));
            }
            if (content.length == 0) {
                throw new IOException("empty file");
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            String name = path.substring(path.lastIndexOf('/') + 1);
            String type = response.headers().firstValue("Content-Type").orElse("");
            return Optional.of(new UploadedFile(field, name.isEmpty() ? "avatar" : name, type, content));
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Failed to retrieve OAuth2 avatar: {}", e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
