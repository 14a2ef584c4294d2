package io.pocketbus;

import io.nats.client.JetStreamApiException;
import io.nats.client.ObjectStore;
import io.nats.client.api.ObjectInfo;
import io.nats.client.api.ObjectMeta;
import io.nats.client.impl.Headers;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.ContentTypes;
import io.pocketbus.core.FileStorage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@link FileStorage} on one NATS Object Store bucket (ADR-20): a file is an object named by its storage key
 * ({@code <collectionId>/<recordId>/<filename>}), chunked and digested by the Object Store; its content type
 * is the object's {@code Content-Type} header and its original name the {@code original-filename} metadata,
 * what the local backend keeps in its {@code .attrs} sidecar. Listing by prefix filters the bucket's object
 * names, as S3 listing does for PocketBase.
 */
final class ObjectStoreFileStorage implements FileStorage {
    static final String CONTENT_TYPE = "Content-Type";
    static final String ORIGINAL_FILENAME = "original-filename";

    private final ObjectStore bucket;

    ObjectStoreFileStorage(ObjectStore bucket) {
        this.bucket = bucket;
    }

    @Override
    public Optional<Attributes> attributes(String key) {
        return info(FileStorage.checkKey(key)).map(info -> new Attributes(info.getSize(),
                info.getModified().toInstant(), contentType(info)));
    }

    private static String contentType(ObjectInfo info) {
        Headers headers = info.getHeaders();
        String type = headers == null ? null : headers.getFirst(CONTENT_TYPE);
        return type == null || type.isEmpty() ? ContentTypes.detect(new byte[0], info.getObjectName()) : type;
    }

    private Optional<ObjectInfo> info(String key) {
        try {
            ObjectInfo info = bucket.getInfo(key);
            return info == null || info.isDeleted() ? Optional.empty() : Optional.of(info);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw failure(e);
        }
    }

    @Override
    public InputStream open(String key) {
        return new ByteArrayInputStream(read(key));
    }

    @Override
    public byte[] read(String key) {
        info(FileStorage.checkKey(key)).orElseThrow(() -> ApiError.notFound(""));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            bucket.get(key, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException | NoSuchAlgorithmException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + key, e);
        } catch (IllegalArgumentException e) {
            // deleted between the info and the read
            throw ApiError.notFound("");
        }
        return out.toByteArray();
    }

    @Override
    public void write(String key, byte[] content, String contentType, Optional<String> originalName) {
        Headers headers = new Headers().put(CONTENT_TYPE, contentType);
        ObjectMeta.Builder meta = ObjectMeta.builder(FileStorage.checkKey(key)).headers(headers);
        originalName.ifPresent(name -> meta.metadata(Map.of(ORIGINAL_FILENAME, name)));
        try {
            bucket.put(meta.build(), new ByteArrayInputStream(content));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException | NoSuchAlgorithmException e) {
            throw failure(e);
        }
    }

    @Override
    public void delete(String key) {
        if (info(FileStorage.checkKey(key)).isEmpty()) {
            return;
        }
        try {
            bucket.delete(key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw failure(e);
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        list(prefix).forEach(this::delete);
    }

    @Override
    public List<String> list(String prefix) {
        String dir = FileStorage.checkKey(prefix) + "/";
        return names(name -> name.startsWith(dir));
    }

    @Override
    public List<String> listAll() {
        return names(name -> true);
    }

    private List<String> names(Predicate<String> filter) {
        try {
            return bucket.getList().stream().map(ObjectInfo::getObjectName).filter(filter).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (JetStreamApiException e) {
            throw failure(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the bucket", e);
        }
    }

    private IllegalStateException failure(Exception e) {
        return new IllegalStateException("Object Store bucket " + bucket.getBucketName() + ": " + e.getMessage(), e);
    }
}
