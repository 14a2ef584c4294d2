package io.pocketbus.http;

import io.pocketbus.core.Collection;
import io.pocketbus.core.Field;
import io.pocketbus.core.FileField;
import io.pocketbus.core.FileUpload;
import io.pocketbus.core.Record;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a record create/update request, as PocketBase's {@code recordDataFromRequest}: files under a
 * file field's {@code name}, {@code name+} or {@code +name} get their stored names, which replace that key's
 * value in the submitted data before the modifiers are resolved again — so a plain key replaces the files
 * and the modifiers append or prepend.
 */
final class RecordUploads {
    private record Attached(String field, FileUpload upload) { }

    private final List<Attached> attached = new ArrayList<>();
    private final Map<String, List<String>> namesByKey = new LinkedHashMap<>();

    private RecordUploads() {
    }

    /** Reads the request's files for {@code collection}'s file fields (none for a non-multipart body). */
    static RecordUploads of(RequestEvent e, Collection collection) {
        RecordUploads uploads = new RecordUploads();
        for (Field f : collection.fields()) {
            if (!(f instanceof FileField ff)) {
                continue;
            }
            for (String key : List.of(ff.name(), ff.name() + "+", "+" + ff.name())) {
                List<String> names = new ArrayList<>();
                for (UploadedFile file : e.uploadedFiles(key)) {
                    FileUpload upload = FileUpload.of(file.filename(), file.content());
                    uploads.attached.add(new Attached(ff.name(), upload));
                    names.add(upload.storedName());
                }
                if (!names.isEmpty()) {
                    uploads.namesByKey.put(key, names);
                }
            }
        }
        return uploads;
    }

    /** {@code data} (modifiers already resolved against {@code record}) with the uploaded names merged in. */
    Map<String, Object> mergeInto(Record record, Map<String, Object> data) {
        if (namesByKey.isEmpty()) {
            return data;
        }
        Map<String, Object> out = new LinkedHashMap<>(data);
        namesByKey.forEach(out::put);
        return RecordUpsert.replaceModifiers(record, out);
    }

    /** Attaches the files to the record that will be saved, so the save stores them. */
    void attachTo(Record record) {
        attached.forEach(a -> record.attachUpload(a.field(), a.upload()));
    }
}
