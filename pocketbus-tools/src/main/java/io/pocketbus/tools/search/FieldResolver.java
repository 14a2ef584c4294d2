package io.pocketbus.tools.search;

/**
 * Resolves the identifiers of a filter or sort (field paths, {@code @request.*}, ...) into SQL, and adds to the
 * query whatever those identifiers need (joins, DISTINCT, extra conditions).
 */
public interface FieldResolver {

    /**
     * The SQL for an identifier. Throws {@link FilterException} when it cannot be resolved; the compiler then
     * still accepts the keywords {@code null}, {@code true} and {@code false}.
     */
    ResolverResult resolve(String field);

    /** Applies what the resolved identifiers need to the query; called once, right before it is built. */
    default void updateQuery(SelectQuery query) {
    }
}
