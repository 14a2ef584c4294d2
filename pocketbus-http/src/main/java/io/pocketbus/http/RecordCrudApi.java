package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordSearch;
import io.pocketbus.core.RequestInfo;
import io.pocketbus.core.RuleCheck;
import io.pocketbus.tools.search.FilterException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code /api/collections/{collection}/records}: list, view, create, update, delete, as PocketBase's record_crud. */
final class RecordCrudApi {
    static final String SUPERUSERS_ONLY = "Only superusers can perform this action.";

    private final ApiHooks hooks;

    RecordCrudApi(ApiHooks hooks) {
        this.hooks = hooks;
    }

    void bind(RouterGroup api) {
        RouterGroup records = api.group("/collections/{collection}/records");
        records.get("", this::list);
        records.get("/{id}", this::view);
        records.post("", this::create).bind(BodyLimit.forCollection());
        records.patch("/{id}", this::update).bind(BodyLimit.forCollection());
        records.delete("/{id}", this::delete);
    }

    static Collection collection(RequestEvent e) {
        return e.app().findCollectionByNameOrId(e.pathParam("collection"))
                .orElseThrow(() -> ApiError.notFound("Missing collection context."));
    }

    private void list(RequestEvent e) {
        Collection collection = collection(e);
        RequestInfo info = e.requestInfo();
        Map<String, String> params = new LinkedHashMap<>(info.query());
        RecordSearch.ListResult result;
        try {
            result = RecordSearch.list(e.app(), collection, info, params);
        } catch (FilterException ex) {
            throw new ApiError(400, "", Map.of(), ex);
        }
        List<Record> records = new java.util.ArrayList<>(result.items());
        hooks.recordsList.trigger(new RecordsListRequestEvent(e, collection, records), ev -> {
            RecordEnricher.enrich(e, info, ev.records());
            e.json(200, new ListPage(ev.records().stream().map(Record::toJson).toList(), result.page(),
                    result.perPage(), result.totalItems(), result.totalPages()));
        });
    }

    private void view(RequestEvent e) {
        Collection collection = collection(e);
        RequestInfo info = e.requestInfo();
        if (collection.viewRule().isEmpty() && !info.isSuperuser()) {
            throw ApiError.forbidden(SUPERUSERS_ONLY);
        }
        Record record = find(e.app(), collection, e.pathParam("id"), info, collection.viewRule())
                .orElseThrow(() -> ApiError.notFound(""));
        hooks.recordView.trigger(new RecordRequestEvent(e, collection, record), ev -> respond(ev, info));
    }

    private static void respond(RecordRequestEvent ev, RequestInfo info) {
        RecordEnricher.enrich(ev.request(), info, List.of(ev.record()));
        ev.request().json(200, ev.record().toJson());
    }

    void create(RequestEvent e) {
        Collection collection = collection(e);
        if (collection.isView()) {
            throw ApiError.badRequest("Unsupported collection type.");
        }
        RequestInfo info = e.requestInfo();
        if (collection.createRule().isEmpty() && !info.isSuperuser()) {
            throw ApiError.forbidden(SUPERUSERS_ONLY);
        }
        Record record = new Record(collection);
        RecordUploads uploads = RecordUploads.of(e, collection);
        Map<String, Object> data = uploads.mergeInto(record, requestData(record, info));
        uploads.attachTo(record);
        RequestInfo withData = withBody(info, data);
        RecordUpsert form = new RecordUpsert(e.app(), record);
        if (info.isSuperuser()) {
            form.grant(RecordUpsert.Access.SUPERUSER);
        }
        form.load(data);
        if (!info.isSuperuser()) {
            if (!passes(() -> RuleCheck.canCreate(e.app(), record, withData))) {
                throw ApiError.badRequest("Failed to create record.");
            }
            if (passes(() -> RuleCheck.hasManageAccess(e.app(), record, withData))) {
                form.grant(RecordUpsert.Access.MANAGER);
            }
        }
        hooks.recordCreate.trigger(new RecordRequestEvent(e, collection, record), ev -> {
            form.record(ev.record());
            form.submit("Failed to create record.");
            respond(ev, withData);
        });
    }

    void update(RequestEvent e) {
        Collection collection = collection(e);
        if (collection.isView()) {
            throw ApiError.badRequest("Unsupported collection type.");
        }
        RequestInfo info = e.requestInfo();
        if (collection.updateRule().isEmpty() && !info.isSuperuser()) {
            throw ApiError.forbidden(SUPERUSERS_ONLY);
        }
        String id = e.pathParam("id");
        Record existing = e.app().findRecordById(collection, id).orElseThrow(() -> ApiError.notFound(""));
        RecordUploads uploads = RecordUploads.of(e, collection);
        Map<String, Object> data = uploads.mergeInto(existing, requestData(existing, info));
        RequestInfo withData = withBody(info, data);
        Record record = find(e.app(), collection, id, withData, collection.updateRule())
                .orElseThrow(() -> ApiError.notFound(""));
        uploads.attachTo(record);
        RecordUpsert form = new RecordUpsert(e.app(), record);
        if (info.isSuperuser()) {
            form.grant(RecordUpsert.Access.SUPERUSER);
        } else if (passes(() -> RuleCheck.hasManageAccess(e.app(), record, withData))) {
            form.grant(RecordUpsert.Access.MANAGER);
        }
        form.load(data);
        hooks.recordUpdate.trigger(new RecordRequestEvent(e, collection, record), ev -> {
            form.record(ev.record());
            form.submit("Failed to update record.");
            respond(ev, withData);
        });
    }

    void delete(RequestEvent e) {
        Collection collection = collection(e);
        if (collection.isView()) {
            throw ApiError.badRequest("Unsupported collection type.");
        }
        RequestInfo info = e.requestInfo();
        if (collection.deleteRule().isEmpty() && !info.isSuperuser()) {
            throw ApiError.forbidden(SUPERUSERS_ONLY);
        }
        Record record = find(e.app(), collection, e.pathParam("id"), info, collection.deleteRule())
                .orElseThrow(() -> ApiError.notFound(""));
        hooks.recordDelete.trigger(new RecordRequestEvent(e, collection, record), ev -> {
            try {
                ev.request().app().delete(ev.record());
            } catch (ApiError ex) {
                if (ex.status() != 400) {
                    throw ex;
                }
                throw new ApiError(400, "Failed to delete record. Make sure that the record is not part of a "
                        + "required relation reference.", ex.data(), ex);
            }
            ev.request().noContent(204);
        });
    }

    /** The record when it exists and {@code info} passes {@code rule}; an invalid rule counts as not passing. */
    static Optional<Record> find(App app, Collection collection, String id, RequestInfo info, Optional<String> rule) {
        try {
            return RuleCheck.findRecord(app, collection, id, info, rule);
        } catch (FilterException ex) {
            return Optional.empty();
        }
    }

    private static boolean passes(java.util.function.BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (FilterException ex) {
            return false;
        }
    }

    /**
     * The submitted body as rules see it: modifiers resolved against {@code record}, and hidden fields dropped
     * for non-superusers (an auth collection's password excepted).
     */
    static Map<String, Object> requestData(Record record, RequestInfo info) {
        Map<String, Object> data = RecordUpsert.replaceModifiers(record, info.body());
        if (!info.isSuperuser()) {
            boolean auth = record.collection().isAuth();
            record.collection().fields().stream()
                    .filter(f -> f.hidden() && !(auth && f.name().equals("password")))
                    .forEach(f -> data.remove(f.name()));
        }
        return data;
    }

    static RequestInfo withBody(RequestInfo info, Map<String, Object> body) {
        return new RequestInfo(info.context(), info.method(), info.query(), info.headers(), body, info.auth());
    }
}
