package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.EditorField;
import io.pocketbus.core.Field;
import io.pocketbus.core.FileField;
import io.pocketbus.core.JsonField;
import io.pocketbus.tools.hook.Handler;

/**
 * The request body size limit, PocketBase's {@code apis.BodyLimit}: a declared length over the limit is
 * refused at once, and reading a body that grows past it fails with the same 413. Binding it on a group or
 * route replaces the default (same id); record create/update bind {@link #forCollection()}.
 */
public final class BodyLimit {
    public static final String ID = "pbBodyLimit";
    /** After the request logger, recovery, rate limit and auth loading. */
    public static final int PRIORITY = -990;
    /** PocketBase's default: 32 MiB. */
    public static final long DEFAULT_MAX_BODY_SIZE = 32L << 20;

    private BodyLimit() {
    }

    /** The limit middleware; {@code limitBytes <= 0} removes any limit. */
    public static Handler<RequestEvent> of(long limitBytes) {
        return Handler.of(ID, PRIORITY, e -> {
            apply(e, limitBytes);
            e.next();
        });
    }

    /**
     * PocketBase's {@code dynamicCollectionBodyLimit} for record create/update: the default limit plus, unless the
     * collection is a view, each file field's {@code maxSize × maxSelect} and each json/editor field's
     * {@code maxSize} (their defaults when unset).
     */
    public static Handler<RequestEvent> forCollection() {
        return Handler.of(ID, PRIORITY, e -> {
            Collection collection = e.app().findCollectionByNameOrId(e.pathParam("collection"))
                    .orElseThrow(() -> ApiError.notFound("Missing or invalid collection context."));
            apply(e, limitFor(collection));
            e.next();
        });
    }

    static long limitFor(Collection collection) {
        long limit = DEFAULT_MAX_BODY_SIZE;
        if (collection.isView()) {
            return limit;
        }
        for (Field f : collection.fields()) {
            limit += switch (f) {
                case FileField file -> file.effectiveMaxSize() * Math.max(file.maxSelect(), 1);
                case JsonField json -> json.effectiveMaxSize();
                case EditorField editor -> editor.effectiveMaxSize();
                default -> 0;
            };
        }
        return limit;
    }

    /** Refuses a declared length over the limit now and caps what reading the body may consume. */
    static void apply(RequestEvent e, long limitBytes) {
        if (limitBytes > 0 && e.declaredContentLength() > limitBytes) {
            throw tooLarge();
        }
        e.bodyLimit(limitBytes);
    }

    static ApiError tooLarge() {
        return ApiError.tooLarge("Request entity too large");
    }
}
