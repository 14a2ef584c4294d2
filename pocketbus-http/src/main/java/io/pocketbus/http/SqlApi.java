package io.pocketbus.http;

import io.pocketbus.core.ApiError;
import io.pocketbus.core.App;
import io.pocketbus.core.Db;
import io.pocketbus.core.ValidationError;
import io.pocketbus.core.ViewDryRun;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The SQL console ({@code POST /api/sql}, PocketBase v0.39) and the view query dry run
 * ({@code POST /api/collections/meta/dry-run-view}), superusers only.
 */
final class SqlApi {
    /** PocketBase's cap on the rows a console query returns. */
    static final int MAX_ROWS = 1000;
    /** PocketBase's cap on the query length of both endpoints. */
    static final int MAX_QUERY_LENGTH = 5000;
    /** Rows a view dry run samples. */
    static final int DRY_RUN_ROWS = 10;
    /** Seconds a console statement may run (PocketBase: 3 minutes). */
    private static final int TIMEOUT_SECONDS = 180;
    private static final List<String> WRITE_PREFIXES = List.of("INSERT", "CREATE", "UPDATE", "DELETE", "DROP",
            "DETACH");

    private SqlApi() {
    }

    static void bind(RouterGroup api) {
        api.group("/sql").bind(Middlewares.requireSuperuserAuth()).post("", SqlApi::run);
        api.group("/collections/meta").bind(Middlewares.requireSuperuserAuth()).post("/dry-run-view",
                SqlApi::dryRunView);
    }

    private record Column(String name, String type, boolean nullable) { }

    private record Result(long execTime, long affectedRows, List<Column> columns, List<List<String>> rows) { }

    private static void run(RequestEvent e) {
        String query = queryParam(e);
        long started = System.nanoTime();
        Result result;
        try {
            result = isPossibleWrite(query) ? write(e.app(), query) : read(e.app(), query);
        } catch (Db.DbException ex) {
            throw new ApiError(400, "Failed to execute query. Raw error:\n" + ex.detail(), Map.of(), ex);
        }
        long execTime = (System.nanoTime() - started) / 1_000_000;
        e.json(200, new Result(execTime, result.affectedRows(), result.columns(), result.rows()));
    }

    /** Validates {@code {"query": "..."}}: required, at most {@link #MAX_QUERY_LENGTH} characters. */
    private static String queryParam(RequestEvent e) {
        Map<String, Object> body;
        try {
            body = e.bindBody();
        } catch (ApiError ex) {
            throw new ApiError(400, "An error occurred while loading the submitted data.", Map.of(), ex);
        }
        Object raw = body.get("query");
        String query = raw instanceof String s ? s : "";
        if (raw != null && !(raw instanceof String)) {
            throw new ApiError(400, "An error occurred while loading the submitted data.", Map.of());
        }
        if (query.isBlank()) {
            throw ApiError.badRequest("An error occurred while validating the submitted data.",
                    Map.of("query", ValidationError.required()));
        }
        if (query.length() > MAX_QUERY_LENGTH) {
            throw ApiError.badRequest("An error occurred while validating the submitted data.",
                    Map.of("query", ValidationError.of("validation_length_out_of_range",
                            "The length must be between 0 and " + MAX_QUERY_LENGTH + ".",
                            Map.of("max", MAX_QUERY_LENGTH, "min", 0))));
        }
        return query.trim();
    }

    /** PocketBase's loose check: anything not starting with SELECT but with a known mutation keyword. */
    private static boolean isPossibleWrite(String query) {
        String upper = query.toUpperCase(Locale.ROOT);
        return !upper.startsWith("SELECT") && WRITE_PREFIXES.stream().anyMatch(upper::startsWith);
    }

    private static Result write(App app, String query) {
        // in a transaction, as PocketBase, so a failing statement leaves nothing half-done
        long affected = app.db().inTransaction(() -> app.db().write(c -> {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(TIMEOUT_SECONDS);
                st.execute(query);
                return (long) Math.max(st.getUpdateCount(), 0);
            }
        }));
        return new Result(0, affected, List.of(), List.of());
    }

    private static Result read(App app, String query) {
        return app.db().read(c -> {
            try (Statement st = c.createStatement()) {
                st.setQueryTimeout(TIMEOUT_SECONDS);
                List<Column> columns = new ArrayList<>();
                List<List<String>> rows = new ArrayList<>();
                if (st.execute(query)) {
                    try (ResultSet rs = st.getResultSet()) {
                        ResultSetMetaData meta = rs.getMetaData();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            columns.add(new Column(meta.getColumnLabel(i), declaredType(meta, i),
                                    meta.isNullable(i) != ResultSetMetaData.columnNoNulls));
                        }
                        while (rows.size() < MAX_ROWS && rs.next()) {
                            List<String> row = new ArrayList<>();
                            for (int i = 1; i <= columns.size(); i++) {
                                row.add(rs.getString(i));
                            }
                            rows.add(row);
                        }
                    }
                }
                return new Result(0, 0, columns, rows);
            }
        });
    }

    /** The column's declared type as SQLite reports it (upper-cased, empty for expressions). */
    private static String declaredType(ResultSetMetaData meta, int column) throws SQLException {
        String type = meta.getColumnTypeName(column);
        return type == null ? "" : type.toUpperCase(Locale.ROOT);
    }

    /**
     * PocketBase's {@code collectionDryRunView}: {@code {"fields":[...],"sample":[...]}} with the fields a view of
     * the query would get and up to {@link #DRY_RUN_ROWS} of its records; a query that cannot be a view is a 400
     * with the raw reason.
     */
    private static void dryRunView(RequestEvent e) {
        String query = queryParam(e);
        ViewDryRun.Result result;
        try {
            result = ViewDryRun.run(e.app(), query, DRY_RUN_ROWS);
        } catch (ViewDryRun.InvalidQuery ex) {
            throw new ApiError(400, "Invalid view query. Raw error: \n" + ex.getMessage(), Map.of(), ex);
        }
        e.json(200, result.toJson());
    }
}
