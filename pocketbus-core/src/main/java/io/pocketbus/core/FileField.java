package io.pocketbus.core;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code file}: stored file names; maxSize bytes per file (default 5 MB), mimeTypes, thumbs, protected. */
public final class FileField extends Field {
    public static final long DEFAULT_MAX_SIZE = 5L << 20;

    private long maxSize;
    private int maxSelect;
    private List<String> mimeTypes;
    private List<String> thumbs;
    private boolean protectedFiles;
    private boolean required;

    public FileField(String name) {
        super(name);
    }

    @Override
    public String type() {
        return "file";
    }

    public long maxSize() {
        return maxSize;
    }

    public long effectiveMaxSize() {
        return maxSize <= 0 ? DEFAULT_MAX_SIZE : maxSize;
    }

    public int maxSelect() {
        return maxSelect;
    }

    public List<String> mimeTypes() {
        return mimeTypes == null ? List.of() : mimeTypes;
    }

    public List<String> thumbs() {
        return thumbs == null ? List.of() : thumbs;
    }

    /** Files need a file token to download. */
    public boolean isProtected() {
        return protectedFiles;
    }

    @Override
    public boolean required() {
        return required;
    }

    @Override
    public boolean isMultiple() {
        return maxSelect > 1;
    }

    public FileField setMaxSize(long maxSize) {
        this.maxSize = maxSize;
        return this;
    }

    public FileField setMaxSelect(int maxSelect) {
        this.maxSelect = maxSelect;
        return this;
    }

    public FileField setMimeTypes(List<String> mimeTypes) {
        this.mimeTypes = mimeTypes == null ? null : List.copyOf(mimeTypes);
        return this;
    }

    public FileField setThumbs(List<String> thumbs) {
        this.thumbs = thumbs == null ? null : List.copyOf(thumbs);
        return this;
    }

    public FileField setProtected(boolean protectedFiles) {
        this.protectedFiles = protectedFiles;
        return this;
    }

    public FileField setRequired(boolean required) {
        this.required = required;
        return this;
    }

    @Override
    public Object prepareValue(Object raw) {
        return MultiValues.canonical(raw, isMultiple());
    }

    @Override
    public Object dbValue(Object value) {
        return MultiValues.dbValue(value);
    }

    /**
     * Checks that names not stored before were uploaded in this request ({@link Record#markUploaded}), the
     * count, and each new upload's size and content-detected type, with PocketBase's error codes.
     */
    @Override
    public Optional<ValidationError> validateValue(App app, Record record) {
        List<String> names = record.getStringList(name());
        if (names.isEmpty()) {
            return requiredError(names);
        }
        List<String> before = MultiValues.toList(record.original(name()));
        List<String> invalid = names.stream()
                .filter(n -> !before.contains(n) && !record.uploaded(name()).contains(n))
                .map(n -> n.length() > 250 ? n.substring(0, 250) : n).toList();
        if (!invalid.isEmpty()) {
            return error("validation_invalid_file", "Invalid new files: {{invalidFiles}}.",
                    Map.of("invalidFiles", invalid));
        }
        int limit = Math.max(maxSelect, 1);
        if (names.size() > limit) {
            return error("validation_too_many_files", "The maximum allowed files is {{maxSelect}}.",
                    Map.of("maxSelect", limit));
        }
        for (FileUpload upload : record.uploads(name())) {
            if (!names.contains(upload.storedName())) {
                continue;
            }
            if (upload.size() > effectiveMaxSize()) {
                return error("validation_file_size_limit",
                        "Failed to upload {{file}} - the maximum allowed file size is {{maxSize}} bytes.",
                        Map.of("file", upload.originalName(), "maxSize", effectiveMaxSize()));
            }
            if (!mimeTypes().isEmpty() && mimeTypes().stream().noneMatch(
                    t -> ContentTypes.baseType(t).equals(ContentTypes.baseType(upload.contentType())))) {
                return error("validation_invalid_mime_type", "\"" + upload.storedName()
                        + "\" mime type must be one of: " + String.join(", ", mimeTypes()) + ".");
            }
        }
        return Optional.empty();
    }

    @Override
    public String columnDefinition() {
        return isMultiple() ? "JSON DEFAULT '[]' NOT NULL" : "TEXT DEFAULT '' NOT NULL";
    }

    @Override
    protected void writeOptions(Map<String, Object> out) {
        out.put("maxSize", maxSize);
        out.put("maxSelect", maxSelect);
        out.put("mimeTypes", mimeTypes);
        out.put("thumbs", thumbs);
        out.put("protected", protectedFiles);
        out.put("required", required);
    }

    @Override
    protected void readOptions(JsonNode node) {
        maxSize = longValue(node, "maxSize", 0);
        maxSelect = integer(node, "maxSelect", 0);
        mimeTypes = stringsOrNull(node, "mimeTypes");
        thumbs = stringsOrNull(node, "thumbs");
        protectedFiles = bool(node, "protected");
        required = bool(node, "required");
    }
}
