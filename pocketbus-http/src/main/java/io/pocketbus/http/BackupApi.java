package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.AuthOptions;
import io.pocketbus.core.Backups;
import io.pocketbus.core.ContentTypes;
import io.pocketbus.core.Record;
import io.pocketbus.core.ValidationError;
import io.pocketbus.tools.types.DateTime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /api/backups}: list, create, upload, download (superuser file token), delete and restore, as
 * PocketBase's {@code apis/backup.go}. Everything but the download needs superuser auth. A restore swaps
 * the data directory and reopens the app before answering, the embedded equivalent of PocketBase's restart.
 */
final class BackupApi {
    private final Map<io.pocketbus.core.App, Backups> backups = new java.util.concurrent.ConcurrentHashMap<>();

    void bind(RouterGroup api) {
        RouterGroup group = api.group("/backups");
        group.get("", this::list).bind(Middlewares.requireSuperuserAuth());
        group.post("", this::create).bind(Middlewares.requireSuperuserAuth());
        group.post("/upload", this::upload).bind(Middlewares.requireSuperuserAuth());
        group.get("/{key}", this::download);
        group.delete("/{key}", this::delete).bind(Middlewares.requireSuperuserAuth());
        group.post("/{key}/restore", this::restore).bind(Middlewares.requireSuperuserAuth());
    }

    private Backups backups(RequestEvent e) {
        return backups.computeIfAbsent(e.app(), Backups::new);
    }

    private void list(RequestEvent e) {
        List<Map<String, Object>> out = backups(e).list().stream().map(b -> {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("key", b.key());
            item.put("size", b.size());
            item.put("modified", new DateTime(b.modified()).toString());
            return item;
        }).toList();
        e.json(200, out);
    }

    private void create(RequestEvent e) {
        Object raw = e.bindBody().get("name");
        String name = raw == null || String.valueOf(raw).isEmpty() ? Backups.defaultName() : String.valueOf(raw);
        if (name.length() > 150 || !Backups.NAME.matcher(name).matches()) {
            throw ApiError.badRequest("An error occurred while validating the submitted data.", Map.of("name",
                    ValidationError.of("validation_match_invalid", "Must be in a valid format.")));
        }
        backups(e).create(name);
        e.noContent(204);
    }

    private void upload(RequestEvent e) {
        List<UploadedFile> files = e.uploadedFiles("file");
        if (files.isEmpty()) {
            throw ApiError.badRequest("An error occurred while validating the submitted data.",
                    Map.of("file", ValidationError.required()));
        }
        UploadedFile file = files.getFirst();
        byte[] head = java.util.Arrays.copyOf(file.content(), Math.min(file.content().length, 3072));
        if (!ContentTypes.baseType(ContentTypes.detect(head, file.filename())).equals("application/zip")) {
            throw ApiError.badRequest("An error occurred while validating the submitted data.", Map.of("file",
                    ValidationError.of("validation_invalid_mime_type",
                            "\"" + file.filename() + "\" mime type must be one of: application/zip.")));
        }
        if (!Backups.NAME.matcher(file.filename()).matches()) {
            throw ApiError.badRequest("An error occurred while validating the submitted data.", Map.of("file",
                    ValidationError.of("validation_match_invalid", "Must be in a valid format.")));
        }
        backups(e).upload(file.filename(), file.content());
        e.noContent(204);
    }

    private void download(RequestEvent e) {
        String token = e.queryParam("token").orElse("").strip();
        Optional<Record> auth = token.isEmpty() ? Optional.empty()
                : e.app().findAuthRecordByToken(token, AuthOptions.TokenType.FILE);
        if (auth.isEmpty() || !auth.get().isSuperuser()) {
            throw ApiError.forbidden("Insufficient permissions to access the resource.");
        }
        String key = e.pathParam("key");
        Backups.Backup backup = backups(e).find(key).orElseThrow(() -> ApiError.badRequest(""));
        try {
            byte[] content = Files.readAllBytes(backups(e).path(backup.key()));
            e.setHeader("Content-Disposition", "attachment; filename=" + backup.key());
            e.blob(200, "application/zip", content);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private void delete(RequestEvent e) {
        backups(e).delete(e.pathParam("key"));
        e.noContent(204);
    }

    private void restore(RequestEvent e) {
        backups(e).restore(e.pathParam("key"));
        e.noContent(204);
    }
}
