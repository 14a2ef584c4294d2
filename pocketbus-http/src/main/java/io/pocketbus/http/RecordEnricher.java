package io.pocketbus.http;

import io.pocketbus.core.App;
import io.pocketbus.core.Collection;
import io.pocketbus.core.ExpandFetcher;
import io.pocketbus.core.Record;
import io.pocketbus.core.RequestInfo;
import io.pocketbus.core.RuleCheck;
import io.pocketbus.tools.search.FilterException;
import java.util.ArrayList;
import java.util.List;

/**
 * Prepares records for a response as PocketBase's {@code EnrichRecords}: the {@code onRecordEnrich} chain
 * (hidden fields and emails for superusers, the email for the record itself), the email for managers (the
 * collection's manageRule), and {@code ?expand=} with each related collection's viewRule applied.
 */
final class RecordEnricher {
    private RecordEnricher() {
    }

    static void enrich(RequestEvent e, RequestInfo info, List<Record> records) {
        App app = e.app();
        flags(app, info, records);
        String expand = e.queryParam("expand").orElse("");
        if (!expand.isBlank() && !records.isEmpty()) {
            app.expandRecords(records, expand, fetcher(app, info.withContext(RequestInfo.CONTEXT_EXPAND)));
        }
    }

    private static void flags(App app, RequestInfo info, List<Record> records) {
        for (Record record : records) {
            app.enrichRecord(record, info);
            if (!info.isSuperuser() && record.collection().isAuth() && !record.emailAlwaysVisible()
                    && manages(app, record, info)) {
                record.withEmailVisible(true);
            }
        }
    }

    private static boolean manages(App app, Record record, RequestInfo info) {
        try {
            return RuleCheck.hasManageAccess(app, record, info);
        } catch (FilterException ex) {
            return false;
        }
    }

    private static ExpandFetcher fetcher(App app, RequestInfo info) {
        return new ExpandFetcher() {
            @Override
            public List<Record> fetch(Collection collection, List<String> ids) {
                List<Record> visible;
                if (info.isSuperuser() || collection.viewRule().map(String::isEmpty).orElse(false)) {
                    visible = app.findRecordsByIds(collection, ids);
                } else if (collection.viewRule().isEmpty()) {
                    visible = List.of();
                } else {
                    visible = new ArrayList<>();
                    for (String id : ids) {
                        RecordCrudApi.find(app, collection, id, info, collection.viewRule()).ifPresent(visible::add);
                    }
                }
                flags(app, info, visible);
                return visible;
            }

            @Override
            public boolean canView(Collection collection) {
                return info.isSuperuser() || collection.viewRule().isPresent();
            }
        };
    }
}
