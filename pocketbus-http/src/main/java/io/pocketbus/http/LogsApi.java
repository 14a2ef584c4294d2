package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.LogEntry;
import io.pocketbus.tools.search.FilterCompiler;
import io.pocketbus.tools.search.FilterException;
import io.pocketbus.tools.search.SearchProvider;
import io.pocketbus.tools.search.SelectQuery;
import io.pocketbus.tools.search.SimpleFieldResolver;
import io.pocketbus.tools.search.Sql;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /api/logs}: list, stats, view and truncate the request logs in auxiliary.db (superusers only). */
final class LogsApi {
    private static final String[] FIELDS = {"id", "created", "level", "message", "data", "data.*"};

    private LogsApi() {
    }

    static void bind(RouterGroup api) {
        RouterGroup logs = api.group("/logs").bind(Middlewares.requireSuperuserAuth());
        logs.get("", LogsApi::list);
        logs.get("/stats", LogsApi::stats);
        logs.get("/{id}", LogsApi::view);
        logs.delete("", e -> {
            e.app().logs().truncate();
            e.noContent(204);
        });
    }

    private static void list(RequestEvent e) {
        Map<String, String> params = new LinkedHashMap<>();
        e.query().forEach((k, v) -> params.put(k, v.getFirst()));
        App app = e.app();
        try {
            SearchProvider.SearchPlan plan = SearchProvider.of(SimpleFieldResolver.of(FIELDS),
                    SelectQuery.from("_logs").select(Sql.raw(Sql.quoteColumn("_logs.id")))).parse(params).build();
            List<Object> items = new ArrayList<>();
            for (String id : app.auxDb().query(plan.items().text(), plan.items().params(), rs -> rs.getString(1))) {
                app.logs().findById(id).ifPresent(log -> items.add(log.toMap()));
            }
            long total = plan.count().map(c -> app.auxDb().queryOne(c.text(), c.params(), rs -> rs.getLong(1))
                    .orElse(0L)).orElse(-1L);
            long pages = total < 0 ? -1 : (long) Math.ceil((double) total / plan.perPage());
            e.json(200, new ListPage(items, plan.page(), plan.perPage(), total, pages));
        } catch (FilterException | IllegalArgumentException | io.pocketbus.core.Db.DbException ex) {
            throw new ApiError(400, "", Map.of(), ex);
        }
    }

    private static void stats(RequestEvent e) {
        String filter = e.queryParam("filter").orElse("");
        try {
            Sql where = filter.isEmpty() ? Sql.raw("") : FilterCompiler.compile(filter, SimpleFieldResolver.of(FIELDS),
                    java.time.Clock.systemUTC());
            e.json(200, e.app().logs().stats(where.text(), where.params()));
        } catch (FilterException | io.pocketbus.core.Db.DbException ex) {
            throw new ApiError(400, "", Map.of(), ex);
        }
    }

    private static void view(RequestEvent e) {
        LogEntry log = e.app().logs().findById(e.pathParam("id")).orElseThrow(() -> ApiError.notFound(""));
        e.json(200, log.toMap());
    }
}
