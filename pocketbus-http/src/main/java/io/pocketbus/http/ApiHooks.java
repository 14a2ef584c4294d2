package io.pocketbus.http;

import io.pocketbus.tools.hook.Hook;
import io.pocketbus.tools.hook.TaggedHook;

/**
 * PocketBase's request hooks: each API action runs as the default action of its hook chain, so handlers
 * bound here (optionally tagged with collection names or ids) run around it and must call {@code e.next()}.
 */
public final class ApiHooks {
    final Hook<RecordsListRequestEvent> recordsList = new Hook<>();
    final Hook<RecordRequestEvent> recordView = new Hook<>();
    final Hook<RecordRequestEvent> recordCreate = new Hook<>();
    final Hook<RecordRequestEvent> recordUpdate = new Hook<>();
    final Hook<RecordRequestEvent> recordDelete = new Hook<>();
    final Hook<RecordAuthRequestEvent> recordAuth = new Hook<>();

    public TaggedHook<RecordsListRequestEvent> onRecordsListRequest(String... tags) {
        return new TaggedHook<>(recordsList, tags);
    }

    public TaggedHook<RecordRequestEvent> onRecordViewRequest(String... tags) {
        return new TaggedHook<>(recordView, tags);
    }

    public TaggedHook<RecordRequestEvent> onRecordCreateRequest(String... tags) {
        return new TaggedHook<>(recordCreate, tags);
    }

    public TaggedHook<RecordRequestEvent> onRecordUpdateRequest(String... tags) {
        return new TaggedHook<>(recordUpdate, tags);
    }

    public TaggedHook<RecordRequestEvent> onRecordDeleteRequest(String... tags) {
        return new TaggedHook<>(recordDelete, tags);
    }

    /** Every auth response (password login, refresh). */
    public TaggedHook<RecordAuthRequestEvent> onRecordAuthRequest(String... tags) {
        return new TaggedHook<>(recordAuth, tags);
    }
}
