package io.pocketbus.core;

import java.util.List;

/**
 * Loads the related records an expand may show. The API layer supplies one that applies the related
 * collection's viewRule for the requester ({@code @request.context = "expand"}) and sets the records'
 * hidden-field and email visibility; records it leaves out are silently not expanded.
 */
public interface ExpandFetcher {
    /** The records of {@code collection} among {@code ids} the requester may see (any order). */
    List<Record> fetch(Collection collection, List<String> ids);

    /** False when the requester may not view {@code collection} at all (e.g. a null viewRule): no {@code expand}. */
    default boolean canView(Collection collection) {
        return true;
    }
}
