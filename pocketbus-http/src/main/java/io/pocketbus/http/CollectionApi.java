package io.pocketbus.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.CollectionType;
import io.pocketbus.core.Scaffolds;
import io.pocketbus.core.ValidationError;
import io.pocketbus.tools.search.FilterException;
import io.pocketbus.tools.search.SearchProvider;
import io.pocketbus.tools.search.SelectQuery;
import io.pocketbus.tools.search.SimpleFieldResolver;
import io.pocketbus.tools.search.Sql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/collections}: PocketBase's collections API, superusers only. */
final class CollectionApi {
    private CollectionApi() {
    }

    static void bind(RouterGroup api) {
        RouterGroup collections = api.group("/collections").bind(Middlewares.requireSuperuserAuth());
        collections.get("", CollectionApi::list);
        collections.post("", CollectionApi::create);
        collections.get("/{collection}", CollectionApi::view);
        collections.patch("/{collection}", CollectionApi::update);
        collections.delete("/{collection}", CollectionApi::delete);
        collections.delete("/{collection}/truncate", CollectionApi::truncate);
        collections.put("/import", CollectionApi::importCollections);
        collections.get("/meta/scaffolds", e -> e.json(200, Scaffolds.scaffolds()));
        collections.get("/meta/oauth2-providers", RecordAuthOAuth2Api::listProviders);
    }

    private static Collection find(RequestEvent e) {
        return e.app().findCollectionByNameOrId(e.pathParam("collection")).orElseThrow(() -> ApiError.notFound(""));
    }

    private static void list(RequestEvent e) {
        Map<String, String> params = new LinkedHashMap<>();
        e.query().forEach((k, v) -> params.put(k, v.getFirst()));
        SearchProvider.SearchPlan plan;
        try {
            plan = SearchProvider.of(SimpleFieldResolver.of("id", "created", "updated", "name", "system", "type"),
                    SelectQuery.from("_collections").select(Sql.raw(Sql.quoteColumn("_collections.id"))))
                    .parse(params).build();
        } catch (FilterException | IllegalArgumentException ex) {
            throw new ApiError(400, "", Map.of(), ex);
        }
        App app = e.app();
        List<Object> items = new ArrayList<>();
        try {
            for (String id : app.db().query(plan.items().text(), plan.items().params(), rs -> rs.getString(1))) {
                app.findCollectionByNameOrId(id).ifPresent(c -> items.add(c.toMap()));
            }
            long total = plan.count().map(count -> app.db().queryOne(count.text(), count.params(),
                    rs -> rs.getLong(1)).orElse(0L)).orElse(-1L);
            long pages = total < 0 ? -1 : (long) Math.ceil((double) total / plan.perPage());
            e.json(200, new ListPage(items, plan.page(), plan.perPage(), total, pages));
        } catch (io.pocketbus.core.Db.DbException ex) {
            throw new ApiError(400, "", Map.of(), ex);
        }
    }

    private static void view(RequestEvent e) {
        e.json(200, find(e).toMap());
    }

    private static void create(RequestEvent e) {
        ObjectNode body = bodyJson(e, "Failed to load the submitted data due to invalid formatting.");
        CollectionType type = CollectionType.of(body.path("type").asText("base")).orElse(CollectionType.BASE);
        ObjectNode merged = (ObjectNode) Json.tree(Scaffolds.scaffold(type, body.path("name").asText("")).toMap());
        merged.put("id", "");
        merged.setAll(body);
        // a client-given id that already exists is a validation error, not an update
        Collection collection = parse(merged, "Failed to create collection.").markAsNew();
        save(e.app(), collection, "Failed to create collection.");
        e.json(200, e.app().findCollectionByNameOrId(collection.id()).orElse(collection).toMap());
    }

    private static void update(RequestEvent e) {
        Collection existing = find(e);
        ObjectNode body = bodyJson(e, "Failed to load the submitted data due to invalid formatting.");
        ObjectNode merged = (ObjectNode) Json.tree(existing.toMap(true));
        merged.setAll(body);
        Collection collection = parse(merged, "Failed to update collection.");
        save(e.app(), collection, "Failed to update collection.");
        e.json(200, e.app().findCollectionByNameOrId(collection.id()).orElse(collection).toMap());
    }

    private static void delete(RequestEvent e) {
        Collection collection = find(e);
        try {
            e.app().delete(collection);
        } catch (ApiError ex) {
            if (ex.status() != 400) {
                throw ex;
            }
            throw new ApiError(400, ex.message(), ex.data(), ex);
        }
        e.noContent(204);
    }

    private static void truncate(RequestEvent e) {
        Collection collection = find(e);
        if (collection.isView()) {
            throw ApiError.badRequest(
                    "View collections cannot be truncated since they don't store their own records.");
        }
        try {
            e.app().truncate(collection);
        } catch (ApiError ex) {
            throw new ApiError(400, "Failed to truncate collection (most likely due to required cascade delete "
                    + "record references).", Map.of(), ex);
        }
        e.noContent(204);
    }

    private static void importCollections(RequestEvent e) {
        ObjectNode body = bodyJson(e, "An error occurred while loading the submitted data.");
        JsonNode list = body.path("collections");
        if (!list.isArray() || list.isEmpty()) {
            throw ApiError.badRequest("An error occurred while validating the submitted data.",
                    Map.of("collections", ValidationError.required()));
        }
        List<Collection> collections = new ArrayList<>();
        for (JsonNode item : list) {
            collections.add(parse(item, "Failed to import collections."));
        }
        try {
            e.app().importCollections(collections, body.path("deleteMissing").asBoolean(false));
        } catch (ApiError ex) {
            if (ex.status() != 400) {
                throw ex;
            }
            Map<String, Object> data = ex.data().isEmpty()
                    ? Map.of("collections", ValidationError.of("validation_collections_import_failure",
                            "Failed to import the collections configuration. Raw error:\n" + ex.message()))
                    : ex.data();
            throw new ApiError(400, "Failed to import collections.", data, ex);
        }
        e.noContent(204);
    }

    private static ObjectNode bodyJson(RequestEvent e, String failure) {
        ObjectNode body;
        try {
            body = (ObjectNode) Json.tree(e.bindBody());
        } catch (ApiError ex) {
            throw new ApiError(400, failure, Map.of(), ex);
        }
        if (!wellTyped(body)) {
            // as Go's decoder refusing a value of the wrong JSON type for the collection model
            throw new ApiError(400, failure, Map.of());
        }
        return body;
    }

    private static final List<String> STRING_KEYS = List.of("id", "name", "type", "viewQuery");
    private static final List<String> RULE_KEYS = List.of("listRule", "viewRule", "createRule", "updateRule",
            "deleteRule", "authRule", "manageRule");

    private static boolean wellTyped(ObjectNode body) {
        for (String key : STRING_KEYS) {
            if (body.has(key) && !body.get(key).isTextual()) {
                return false;
            }
        }
        for (String key : RULE_KEYS) {
            if (body.has(key) && !body.get(key).isTextual() && !body.get(key).isNull()) {
                return false;
            }
        }
        for (String key : List.of("fields", "indexes")) {
            if (body.has(key) && !body.get(key).isArray() && !body.get(key).isNull()) {
                return false;
            }
        }
        if (body.has("fields") && body.get("fields").isArray()) {
            for (JsonNode field : body.get("fields")) {
                if (!field.isObject()) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Collection parse(JsonNode json, String failure) {
        try {
            return Collection.fromJson(json);
        } catch (IllegalArgumentException ex) {
            throw new ApiError(400, failure, Map.of(), ex);
        }
    }

    private static void save(App app, Collection collection, String failure) {
        try {
            app.save(collection);
        } catch (ApiError ex) {
            if (ex.status() != 400) {
                throw ex;
            }
            throw new ApiError(400, failure, ex.data(), ex);
        }
    }
}
