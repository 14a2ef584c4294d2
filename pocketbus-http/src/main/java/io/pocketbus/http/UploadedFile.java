package io.pocketbus.http;

/** A file part of a multipart request. */
public record UploadedFile(String field, String filename, String contentType, byte[] content) {
    public long size() {
        return content.length;
    }
}
