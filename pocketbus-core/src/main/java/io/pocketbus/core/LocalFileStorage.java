package io.pocketbus.core;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@link FileStorage} on a directory ({@code <dataDir>/storage}), byte-compatible with PocketBase's local
 * storage: each file has a {@code <name>.attrs} JSON sidecar with its content type and MD5, so a PocketBase
 * data directory's files are served as they are. Writes go to a temp file first, then are moved into place.
 */
public final class LocalFileStorage implements FileStorage {
    static final String ATTRS_SUFFIX = ".attrs";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;

    public LocalFileStorage(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** The path of a key, proven to be inside the root (lexically and through any symbolic link on the way). */
    Path resolve(String key) {
        Path path = root.resolve(FileStorage.checkKey(key)).normalize();
        if (!path.startsWith(root) || path.equals(root)) {
            throw ApiError.badRequest("Invalid file path.");
        }
        Path existing = path;
        while (existing != null && !Files.exists(existing, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            existing = existing.getParent();
        }
        try {
            if (existing != null && Files.exists(root)
                    && !existing.toRealPath().startsWith(root.toRealPath())) {
                throw ApiError.badRequest("Invalid file path.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }

    @Override
    public Optional<Attributes> attributes(String key) {
        Path path = resolve(key);
        try {
            BasicFileAttributes basic = Files.readAttributes(path, BasicFileAttributes.class);
            if (!basic.isRegularFile()) {
                return Optional.empty();
            }
            return Optional.of(new Attributes(basic.size(), basic.lastModifiedTime().toInstant(),
                    storedContentType(path).orElseGet(() -> detect(path))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<String> storedContentType(Path path) throws IOException {
        Path attrs = path.resolveSibling(path.getFileName() + ATTRS_SUFFIX);
        if (!Files.isRegularFile(attrs)) {
            return Optional.empty();
        }
        try {
            String type = JSON.readTree(attrs.toFile()).path("user.content_type").asText("");
            return type.isEmpty() ? Optional.empty() : Optional.of(type);
        } catch (IOException e) {
            // an unreadable sidecar only loses the recorded type: detect it instead
            return Optional.empty();
        }
    }

    private static String detect(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            return ContentTypes.detect(in.readNBytes(3072), path.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public InputStream open(String key) {
        Path path = resolve(key);
        if (!Files.isRegularFile(path)) {
            throw ApiError.notFound("");
        }
        try {
            return Files.newInputStream(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void write(String key, byte[] content, String contentType, Optional<String> originalName) {
        Path path = resolve(key);
        Path attrs = path.resolveSibling(path.getFileName() + ATTRS_SUFFIX);
        try {
            Files.createDirectories(path.getParent());
            ObjectNode sidecar = JSON.createObjectNode();
            sidecar.put("user.cache_control", "");
            sidecar.put("user.content_disposition", "");
            sidecar.put("user.content_encoding", "");
            sidecar.put("user.content_language", "");
            sidecar.put("user.content_type", contentType);
            if (originalName.isPresent()) {
                sidecar.putObject("user.metadata").put("original-filename", originalName.get());
            } else {
                sidecar.putNull("user.metadata");
            }
            sidecar.put("md5", Base64.getEncoder().encodeToString(md5(content)));
            moveIntoPlace(path, content);
            moveIntoPlace(attrs, JSON.writeValueAsBytes(sidecar));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void moveIntoPlace(Path target, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(target.getParent(), ".tmp_", "");
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static byte[] md5(byte[] content) {
        try {
            return MessageDigest.getInstance("MD5").digest(content);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void delete(String key) {
        Path path = resolve(key);
        try {
            Files.deleteIfExists(path);
            Files.deleteIfExists(path.resolveSibling(path.getFileName() + ATTRS_SUFFIX));
            removeEmptyParents(path.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes directories left empty up to the root, so a failed upload leaves no trace. */
    private void removeEmptyParents(Path dir) throws IOException {
        for (Path d = dir; d != null && d.startsWith(root) && !d.equals(root); d = d.getParent()) {
            try (Stream<Path> entries = Files.list(d)) {
                if (entries.findAny().isPresent()) {
                    return;
                }
            } catch (NoSuchFileException e) {
                continue;
            }
            try {
                Files.deleteIfExists(d);
            } catch (java.nio.file.DirectoryNotEmptyException e) {
                // a concurrent write put a file there: keep the directory
                return;
            }
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        Path dir = resolve(prefix);
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Files.walk does not follow links, so a link inside the tree is removed, never its target
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
            removeEmptyParents(dir.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        return keysUnder(resolve(prefix));
    }

    @Override
    public List<String> listAll() {
        return keysUnder(root);
    }

    private List<String> keysUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> keys = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().endsWith(ATTRS_SUFFIX))
                    .filter(p -> !p.getFileName().toString().startsWith(".tmp_"))
                    .forEach(p -> keys.add(root.relativize(p).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        keys.sort(null);
        return keys;
    }
}
