package io.pocketbus.tools.search;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code LEFT JOIN}: the table (a quoted table name or a table-valued expression such as
 * {@code json_each(...)}), its alias (a plain name, quoted when rendered) and the optional ON condition.
 */
public record Join(Sql table, String alias, Optional<Sql> on) {

    public Join {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(on, "on");
        Sql.quoteName(alias);
    }

    /** Joins a table by name. */
    public static Join table(String tableName, String alias, Sql on) {
        return new Join(Sql.raw(Sql.quoteName(tableName)), alias, Optional.of(on));
    }

    /** {@code LEFT JOIN table "alias" [ON cond]}. */
    public Sql toSql() {
        Sql head = Sql.format("LEFT JOIN %s " + Sql.quoteName(alias), table);
        return on.map(cond -> Sql.format("%s ON %s", head, cond)).orElse(head);
    }
}
