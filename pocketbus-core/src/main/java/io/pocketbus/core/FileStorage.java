package io.pocketbus.core;

import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where file fields keep their files, in PocketBase's layout: {@code <collectionId>/<recordId>/<filename>},
 * thumbs in {@code <collectionId>/<recordId>/thumbs_<filename>/<size>_<filename>}. Keys are {@code /}-separated
 * relative paths; every method refuses a key with an empty, {@code .} or {@code ..} segment, a backslash or a
 * control character ({@link #checkKey}), so nothing outside the backend's root is ever read or written.
 */
public interface FileStorage {
    /** Size, modification time and the content type recorded at upload (or detected when none was). */
    record Attributes(long size, Instant modified, String contentType) { }

    /** The attributes of a stored file; empty when there is no such file. */
    Optional<Attributes> attributes(String key);

    /** The content of a stored file; {@link ApiError#notFound} when there is none. */
    InputStream open(String key);

    /** Stores {@code content} under {@code key}, replacing any file there, with its content type sidecar. */
    void write(String key, byte[] content, String contentType, Optional<String> originalName);

    /** Removes a file (and its sidecar); a missing file is fine. */
    void delete(String key);

    /** Removes every file under {@code prefix} (a "directory" key); a missing prefix is fine. */
    void deletePrefix(String prefix);

    /** The keys directly or indirectly under {@code prefix}, sidecars excluded. */
    List<String> list(String prefix);

    /** Every stored key, sidecars excluded (for backups). */
    List<String> listAll();

    /** Reads a whole stored file. */
    default byte[] read(String key) {
        try (InputStream in = open(key)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code <collectionId>/<recordId>}: the prefix of a record's files. */
    static String recordPrefix(Record record) {
        return recordPrefix(record.collection().id(), record.id());
    }

    static String recordPrefix(String collectionId, String recordId) {
        return checkKey(collectionId + "/" + recordId);
    }

    static String fileKey(Record record, String filename) {
        return checkKey(recordPrefix(record) + "/" + filename);
    }

    /** The directory of a file's thumbs: {@code <recordPrefix>/thumbs_<filename>}. */
    static String thumbsPrefix(Record record, String filename) {
        return checkKey(recordPrefix(record) + "/thumbs_" + filename);
    }

    static String thumbKey(Record record, String filename, String size) {
        return checkKey(thumbsPrefix(record, filename) + "/" + size + "_" + filename);
    }

    /** Returns {@code key} when it is a safe relative key, else throws {@link ApiError#badRequest}. */
    static String checkKey(String key) {
        if (key.isEmpty() || key.chars().anyMatch(ch -> ch == '\\' || Character.isISOControl(ch))) {
            throw ApiError.badRequest("Invalid file path.");
        }
        for (String segment : key.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw ApiError.badRequest("Invalid file path.");
            }
        }
        return key;
    }
}
