package io.pocketbus.http;

import io.pocketbus.core.Record;
import io.pocketbus.core.RequestInfo;
import io.pocketbus.core.RuleCheck;
import io.pocketbus.tools.search.FilterException;
import java.util.List;

/**
 * Prepares records for a response as PocketBase's {@code EnrichRecords}: hidden fields and emails for
 * superusers, the email for the record's owner and for managers (the collection's manageRule).
 */
final class RecordEnricher {
    private RecordEnricher() {
    }

    static void enrich(RequestEvent e, RequestInfo info, List<Record> records) {
        for (Record record : records) {
            if (info.isSuperuser()) {
                record.withHiddenFields(true).withEmailVisible(true);
                continue;
            }
            if (!record.collection().isAuth()) {
                continue;
            }
            boolean owner = info.auth().map(a -> a.id().equals(record.id())
                    && a.collection().id().equals(record.collection().id())).orElse(false);
            if (owner || manages(e, record, info)) {
                record.withEmailVisible(true);
            }
        }
    }

    private static boolean manages(RequestEvent e, Record record, RequestInfo info) {
        try {
            return RuleCheck.hasManageAccess(e.app(), record, info);
        } catch (FilterException ex) {
            return false;
        }
    }
}
