package io.pocketbus.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.pocketbus.core.App;
import io.pocketbus.core.ApiError;
import io.pocketbus.core.Collection;
import io.pocketbus.core.ExpandFetcher;
import io.pocketbus.core.Record;
import io.pocketbus.core.RecordFieldResolver;
import io.pocketbus.core.RequestInfo;
import io.pocketbus.core.RuleCheck;
import io.pocketbus.tools.picker.Picker;
import io.pocketbus.tools.search.FilterCompiler;
import io.pocketbus.tools.search.FilterException;
import io.pocketbus.tools.search.Sql;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one subscriber may receive of one record event, as PocketBase's realtime broadcast: the list or
 * view rule and the subscription's {@code filter} checked with the subscriber's auth, then the record
 * enriched for that subscriber (hidden fields, email visibility, {@code expand}) and {@code fields} picked.
 * A created or updated record is checked as stored; a deleted one, which is gone by the time its event
 * arrives, is checked on the values carried by the event.
 */
final class RealtimeAccess {
    private static final List<String> SUPERUSER_ONLY = List.of("@collection.", "@request.");

    private RealtimeAccess() {
    }

    /** The frame data for {@code sub} of a subscriber with {@code auth}, or empty when it may not see the record. */
    static Optional<String> frameData(App app, Optional<Record> auth, RealtimeSubscription sub,
                                      RealtimeSubscription.Kind kind, String action, Record record) {
        RequestInfo info = new RequestInfo(RequestInfo.CONTEXT_REALTIME, "GET", sub.query(), sub.headers(),
                Map.of(), auth);
        Collection collection = record.collection();
        try {
            if (!canAccess(app, info, collection, kind, action, record, sub.query().getOrDefault("filter", ""))) {
                return Optional.empty();
            }
            Record view = record.copy();
            app.enrichRecord(view, info);
            if (!info.isSuperuser() && collection.isAuth() && !view.emailAlwaysVisible()
                    && manages(app, view, action, info)) {
                view.withEmailVisible(true);
            }
            String expand = sub.query().getOrDefault("expand", "");
            if (!expand.isBlank()) {
                app.expandRecords(List.of(view), expand, fetcher(app, info.withContext(RequestInfo.CONTEXT_EXPAND)));
            }
            JsonNode json = Json.tree(view.toJson());
            String fields = sub.query().getOrDefault("fields", "");
            if (!fields.isBlank()) {
                json = Picker.pick(json, fields, false);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("record", json);
            data.put("action", action);
            return Optional.of(Json.MAPPER.writeValueAsString(data));
        } catch (FilterException | ApiError | com.fasterxml.jackson.core.JsonProcessingException e) {
            // a rule or option that does not compile for this subscriber means no access, as in PocketBase
            return Optional.empty();
        }
    }

    private static boolean canAccess(App app, RequestInfo info, Collection collection, RealtimeSubscription.Kind kind,
                                     String action, Record record, String filter) {
        boolean superuser = info.isSuperuser();
        Optional<String> rule = kind == RealtimeSubscription.Kind.LIST ? collection.listRule() : collection.viewRule();
        if (!superuser && rule.isEmpty()) {
            return false;
        }
        List<String> parts = new ArrayList<>();
        if (!superuser && !rule.get().isEmpty()) {
            parts.add(rule.get());
        }
        if (!filter.isBlank()) {
            if (!superuser && SUPERUSER_ONLY.stream().anyMatch(filter::contains)) {
                return false;
            }
            // hidden fields are filterable by superusers only: compiling once with them disallowed throws
            FilterCompiler.compile(filter, RecordFieldResolver.of(app, collection, info, superuser));
            parts.add(filter);
        }
        if (parts.isEmpty()) {
            return true;
        }
        // each part on its own lines, so a trailing // comment cannot swallow what follows
        String expr = parts.size() == 1 ? parts.getFirst()
                : "(" + parts.get(0) + "\n) && (" + parts.get(1) + "\n)";
        Sql sql = action.equals("delete")
                ? RuleCheck.draftQuery(app::findCollectionByNameOrId, record, info, expr, Clock.systemUTC())
                : RuleCheck.accessQuery(app::findCollectionByNameOrId, collection, record.id(), info, expr,
                        Clock.systemUTC());
        return app.db().queryOne(sql.text(), sql.params(), rs -> rs.getInt(1)).isPresent();
    }

    /** The manageRule check; a deleted record is checked on its event values, as a draft. */
    private static boolean manages(App app, Record record, String action, RequestInfo info) {
        Record probe = record;
        if (action.equals("delete")) {
            probe = record.copy();
            probe.markAsNew(true);
        }
        return RuleCheck.hasManageAccess(app, probe, info);
    }

    private static ExpandFetcher fetcher(App app, RequestInfo info) {
        return new ExpandFetcher() {
            @Override
            public List<Record> fetch(Collection collection, List<String> ids) {
                List<Record> visible = new ArrayList<>();
                for (String id : ids) {
                    RuleCheck.findRecord(app, collection, id, info, collection.viewRule()).ifPresent(visible::add);
                }
                for (Record r : visible) {
                    app.enrichRecord(r, info);
                }
                return visible;
            }

            @Override
            public boolean canView(Collection collection) {
                return info.isSuperuser() || collection.viewRule().isPresent();
            }
        };
    }
}
