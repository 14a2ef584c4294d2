package io.pocketbus.http;

import java.util.List;

/**
 * The JSON of a paginated list, PocketBase's {@code search.Result}, in its key order. A {@code fields}
 * query parameter picks inside {@code items} only. With {@code skipTotal} the totals are -1.
 */
public record ListPage(List<?> items, int page, int perPage, long totalItems, long totalPages) {
    public ListPage {
        items = List.copyOf(items);
    }
}
