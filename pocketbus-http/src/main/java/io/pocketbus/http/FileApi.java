package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.AuthOptions;
import io.pocketbus.core.Collection;
import io.pocketbus.core.ContentTypes;
import io.pocketbus.core.Field;
import io.pocketbus.core.FileField;
import io.pocketbus.core.FileStorage;
import io.pocketbus.core.Record;
import io.pocketbus.core.RequestInfo;
import io.pocketbus.core.RuleCheck;
import io.pocketbus.tools.search.FilterException;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code /api/files}: the file token and file downloads, as PocketBase's {@code apis/file.go} — protected
 * files with a file token and the collection's view rule, a view collection's files from the source record
 * that holds them, thumbs made once and kept next to the file, and {@code http.ServeContent}'s headers,
 * conditional and range requests.
 */
final class FileApi {
    /** PocketBase always allows this thumb size, besides the field's own. */
    static final String DEFAULT_THUMB_SIZE = "100x100";
    private static final String CSP = "default-src 'none'; media-src 'self'; style-src 'unsafe-inline'; sandbox";
    private static final String CACHE_CONTROL = "max-age=2592000, stale-while-revalidate=86400";
    private static final Map<String, String> EXTENSION_TYPES = Map.of(".svg", "image/svg+xml", ".css", "text/css",
            ".js", "text/javascript", ".mjs", "text/javascript");
    private static final java.util.Set<String> INLINE_TYPES = java.util.Set.of("image/png", "image/jpg",
            "image/jpeg", "image/gif", "image/webp", "image/x-icon", "image/bmp", "video/webm", "video/mp4",
            "video/3gpp", "video/quicktime", "video/x-ms-wmv", "audio/basic", "audio/aiff", "audio/mpeg",
            "audio/midi", "audio/mp3", "audio/wave", "audio/wav", "audio/x-wav", "audio/x-mpeg", "audio/x-m4a",
            "audio/aac", "application/pdf", "application/x-pdf");

    /** Serialises thumb creation so concurrent requests for a missing thumb make it once. */
    private final ReentrantLock thumbLock = new ReentrantLock();

    void bind(RouterGroup api) {
        RouterGroup files = api.group("/files");
        files.post("/token", FileApi::token).bind(Middlewares.requireAuth());
        files.get("/{collection}/{recordId}/{filename}", this::download);
        files.head("/{collection}/{recordId}/{filename}", this::download);
    }

    private static void token(RequestEvent e) {
        Record auth = e.auth().orElseThrow(() -> ApiError.unauthorized(
                "The request requires valid record authorization token."));
        e.json(200, Map.of("token", e.app().newFileToken(auth)));
    }

    private void download(RequestEvent e) {
        App app = e.app();
        Collection collection = app.findCollectionByNameOrId(e.pathParam("collection"))
                .orElseThrow(() -> ApiError.notFound(""));
        Record record = app.findRecordById(collection, e.pathParam("recordId"))
                .orElseThrow(() -> ApiError.notFound(""));
        String filename = e.pathParam("filename");
        FileField field = fileFieldOf(record, filename).orElseThrow(() -> ApiError.notFound(""));
        if (field.isProtected() && !canAccessProtected(e, record)) {
            throw ApiError.notFound("");
        }
        // a view's files live under the record of the collection the view reads them from
        Record fileRecord = collection.isView()
                ? app.findRecordByViewFile(collection, field.name(), filename).orElseThrow(() -> ApiError.notFound(""))
                : record;
        String originalKey;
        try {
            originalKey = FileStorage.fileKey(fileRecord, filename);
        } catch (ApiError invalid) {
            throw ApiError.notFound("");
        }
        FileStorage.Attributes original = app.files().attributes(originalKey)
                .orElseThrow(() -> ApiError.notFound(""));
        String servedKey = originalKey;
        String servedName = filename;
        String thumb = e.queryParam("thumb").orElse("");
        if (!thumb.isEmpty() && Thumbs.isValidSize(thumb) && ContentTypes.isImage(original.contentType())
                && (thumb.equals(DEFAULT_THUMB_SIZE) || field.thumbs().contains(thumb))) {
            String thumbKey = FileStorage.thumbKey(fileRecord, filename, thumb);
            if (ensureThumb(app.files(), originalKey, original, thumbKey)) {
                servedKey = thumbKey;
                servedName = thumb + "_" + filename;
            }
        }
        // uploaded files are meant to be embedded: the global X-Frame-Options does not apply to them
        e.removeHeader("X-Frame-Options");
        serve(e, app.files(), servedKey, servedName);
    }

    private static Optional<FileField> fileFieldOf(Record record, String filename) {
        for (Field f : record.collection().fields()) {
            if (f instanceof FileField ff && record.getStringList(ff.name()).contains(filename)) {
                return Optional.of(ff);
            }
        }
        return Optional.empty();
    }

    /** The view rule with the file token's record as auth and {@code @request.context = "protectedFile"}. */
    private static boolean canAccessProtected(RequestEvent e, Record record) {
        String token = e.queryParam("token").orElse("").strip();
        Optional<Record> auth = token.isEmpty() ? Optional.empty()
                : e.app().findAuthRecordByToken(token, AuthOptions.TokenType.FILE);
        RequestInfo base = e.requestInfo();
        RequestInfo info = new RequestInfo(RequestInfo.CONTEXT_PROTECTED_FILE, base.method(), base.query(),
                base.headers(), Map.of(), auth);
        try {
            return RuleCheck.canAccess(e.app(), record, info, record.collection().viewRule());
        } catch (FilterException ex) {
            return false;
        }
    }

    /** Makes the thumb when it is missing; false when the original cannot be thumbed (then it is served). */
    private boolean ensureThumb(FileStorage storage, String originalKey, FileStorage.Attributes original,
                                String thumbKey) {
        if (storage.attributes(thumbKey).isPresent()) {
            return true;
        }
        thumbLock.lock();
        try {
            if (storage.attributes(thumbKey).isPresent()) {
                return true;
            }
            String size = thumbKey.substring(thumbKey.lastIndexOf('/') + 1);
            size = size.substring(0, size.indexOf('_'));
            Optional<Thumbs.Thumb> thumb = Thumbs.create(storage.read(originalKey), original.contentType(), size);
            thumb.ifPresent(t -> storage.write(thumbKey, t.content(), t.contentType(), Optional.empty()));
            return thumb.isPresent();
        } catch (IOException | RuntimeException ex) {
            // PocketBase falls back to the original when a thumb cannot be made
            return false;
        } finally {
            thumbLock.unlock();
        }
    }

    private static void serve(RequestEvent e, FileStorage storage, String key, String name) {
        FileStorage.Attributes attrs = storage.attributes(key).orElseThrow(() -> ApiError.notFound(""));
        String realType = attrs.contentType();
        String disposition = INLINE_TYPES.contains(ContentTypes.baseType(realType)) ? "inline" : "attachment";
        if (isTrue(e.queryParam("download").orElse(""))) {
            disposition = "attachment";
        }
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? realType : EXTENSION_TYPES.getOrDefault(name.substring(dot), realType);
        e.setHeader("Content-Disposition", disposition + "; filename=" + name);
        e.setHeader("Content-Security-Policy", CSP);
        e.setHeader("Cache-Control", CACHE_CONTROL);
        Instant modified = attrs.modified().truncatedTo(ChronoUnit.SECONDS);
        e.setHeader("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(modified.atOffset(ZoneOffset.UTC)));
        e.setHeader("Accept-Ranges", "bytes");
        Optional<Instant> since = e.header("If-Modified-Since").flatMap(FileApi::parseHttpDate);
        if (since.isPresent() && !modified.isAfter(since.get()) && e.header("Range").isEmpty()) {
            e.noContent(304);
            return;
        }
        byte[] content = storage.read(key);
        boolean head = e.method().equals("HEAD");
        Optional<String> range = e.header("Range");
        if (range.isPresent()) {
            Optional<long[]> span = ByteRanges.single(range.get(), content.length);
            if (span.isEmpty() && ByteRanges.isUnsatisfiable(range.get(), content.length)) {
                e.setHeader("Content-Range", "bytes */" + content.length);
                e.string(416, "invalid range: failed to overlap\n");
                return;
            }
            if (span.isPresent()) {
                long[] r = span.get();
                e.setHeader("Content-Range", "bytes " + r[0] + "-" + r[1] + "/" + content.length);
                byte[] part = java.util.Arrays.copyOfRange(content, (int) r[0], (int) r[1] + 1);
                e.setHeader("Content-Length", String.valueOf(part.length));
                e.blob(206, type, head ? new byte[0] : part);
                return;
            }
        }
        e.setHeader("Content-Length", String.valueOf(content.length));
        e.blob(200, type, head ? new byte[0] : content);
    }

    private static boolean isTrue(String value) {
        return switch (value) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            default -> false;
        };
    }

    private static Optional<Instant> parseHttpDate(String value) {
        try {
            return Optional.of(Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(value)));
        } catch (DateTimeParseException ex) {
            return Optional.empty();
        }
    }
}
