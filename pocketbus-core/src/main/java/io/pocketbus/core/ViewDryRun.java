package io.pocketbus.core;

import io.pocketbus.tools.security.RandomStrings;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * PocketBase's {@code app.DryRunView}: the fields a view query would give a view collection and a sample of its
 * records, read through a temporary view collection; nothing is stored.
 */
public final class ViewDryRun {
    private ViewDryRun() {
    }

    /** The inferred fields and up to the sample size of records, as PocketBase's {@code DryRunViewResult}. */
    public record Result(List<Field> fields, List<Record> sample) {
        public Result {
            fields = List.copyOf(fields);
            sample = List.copyOf(sample);
        }

        /** {@code {"fields":[...],"sample":[...]}}: field settings and record exports. */
        public Map<String, Object> toJson() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("fields", fields.stream().map(Field::toMap).toList());
            out.put("sample", sample.stream().map(Record::toJson).toList());
            return out;
        }
    }

    /** Why a query cannot be a view, in the raw words PocketBase's dry run reports. */
    public static final class InvalidQuery extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InvalidQuery(String detail, Throwable cause) {
            super(detail, cause);
        }
    }

    /**
     * Infers the fields of {@code query} and reads up to {@code sampleSize} records from it. It runs in a
     * transaction so the inference's temporary probe view and the sample share one connection.
     */
    public static Result run(App app, String query, int sampleSize) {
        String name = "temp_view_" + RandomStrings.random(5);
        Collection temp = new Collection(CollectionType.VIEW, name);
        temp.setId(Collection.defaultId(CollectionType.VIEW, name));
        temp.setViewQuery(trimSemicolons(query.strip()));
        try {
            return app.db().inTransaction(() -> {
                temp.setFields(ViewFields.fieldsOf(app, temp, Optional.empty()));
                // wrapped in a second SELECT, as PocketBase does, to discourage inline statements
                List<Record> sample = app.db().query("SELECT * FROM (SELECT * FROM (" + temp.viewQuery() + ")) AS "
                        + SchemaSql.quote(name) + " LIMIT ?", List.of(sampleSize),
                        rs -> Record.fromRow(temp, RecordStore.row(rs)));
                checkIds(sample);
                return new Result(temp.fields(), sample);
            });
        } catch (ViewFields.InvalidViewQuery e) {
            throw new InvalidQuery(e.getMessage(), e);
        } catch (Db.DbException e) {
            throw new InvalidQuery(e.detail(), e);
        }
    }

    /** PocketBase's warning for ids a view could not serve records by. */
    private static void checkIds(List<Record> sample) {
        Set<String> seen = new HashSet<>();
        for (Record r : sample) {
            if (r.id().isEmpty()) {
                throw new InvalidQuery("the query could return records with empty or invalid ids", null);
            }
            if (!seen.add(r.id())) {
                throw new InvalidQuery("the query could return records with non-unique ids", null);
            }
        }
    }

    /** PocketBase trims {@code ;} from both ends of a view query. */
    private static String trimSemicolons(String query) {
        int from = 0;
        int to = query.length();
        while (from < to && query.charAt(from) == ';') {
            from++;
        }
        while (to > from && query.charAt(to - 1) == ';') {
            to--;
        }
        return query.substring(from, to);
    }
}
