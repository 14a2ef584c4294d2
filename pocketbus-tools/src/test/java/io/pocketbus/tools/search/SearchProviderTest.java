package io.pocketbus.tools.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SearchProviderTest {

    private final FieldResolver resolver = SimpleFieldResolver.of("^\\w+$", "^data\\.[\\w\\.]*\\w$");

    @Test
    void parsesSortLikePocketBase() {
        assertThat(SortField.parse("-a, +b,c ,@random,-@rowid")).containsExactly(
                new SortField("a", SortField.Direction.DESC), new SortField("b", SortField.Direction.ASC),
                new SortField("c", SortField.Direction.ASC), new SortField("@random", SortField.Direction.ASC),
                new SortField("@rowid", SortField.Direction.DESC));
        assertThat(SortField.parse(",")).containsExactly(new SortField("", SortField.Direction.ASC),
                new SortField("", SortField.Direction.ASC));
    }

    @Test
    void sortTerms() {
        assertThat(new SortField("title", SortField.Direction.DESC).toSql(resolver, "t")).isEqualTo(Sql.raw("\"title\" DESC"));
        assertThat(new SortField("@random", SortField.Direction.DESC).toSql(resolver, "t")).isEqualTo(Sql.raw("RANDOM()"));
        assertThat(new SortField("@rowid", SortField.Direction.ASC).toSql(resolver, "t")).isEqualTo(Sql.raw("\"t\".\"_rowid_\" ASC"));
        assertThat(new SortField("data.a.0", SortField.Direction.ASC).toSql(resolver, "t"))
                .isEqualTo(Sql.raw("JSON_EXTRACT(\"data\", '$.a[0]') ASC"));
        assertThatThrownBy(() -> new SortField("", SortField.Direction.ASC).toSql(resolver, "t"))
                .hasMessage("invalid sort field \"\"");
        assertThatThrownBy(() -> new SortField("a;b", SortField.Direction.ASC).toSql(resolver, "t"))
                .hasMessage("invalid sort field \"a;b\"");
        FieldResolver bound = f -> ResolverResult.param(f);
        assertThatThrownBy(() -> new SortField("x", SortField.Direction.ASC).toSql(bound, "t"))
                .hasMessage("invalid sort field \"x\"");
        FieldResolver nullResolver = f -> ResolverResult.raw("NULL");
        assertThatThrownBy(() -> new SortField("x", SortField.Direction.ASC).toSql(nullResolver, "t"))
                .hasMessage("invalid sort field \"x\"");
    }

    @Test
    void sortLimits() {
        SortField.checkLimits(SortField.parse("a,b,c,d,e,f,g,h"), SortField.DEFAULT_MAX_FIELDS);
        assertThatThrownBy(() -> SortField.checkLimits(SortField.parse("a,b,c,d,e,f,g,h,i"), SortField.DEFAULT_MAX_FIELDS))
                .hasMessage("max sort expressions limit reached");
        assertThatThrownBy(() -> SortField.checkLimits(SortField.parse("a".repeat(256)), SortField.DEFAULT_MAX_FIELDS))
                .hasMessage("max sort field length limit reached");
    }

    @Test
    void buildsThePageAndTheCount() {
        SearchProvider.SearchPlan plan = SearchProvider.of(resolver, SelectQuery.from("demo").select(Sql.raw("\"demo\".*")))
                .countColumn("_rowid_")
                .parse(Map.of("page", "3", "perPage", "10", "sort", "-created,@rowid", "filter", "title ~ 'x'"))
                .build();
        assertThat(plan.page()).isEqualTo(3);
        assertThat(plan.perPage()).isEqualTo(10);
        assertThat(plan.items()).isEqualTo(new Sql("SELECT \"demo\".* FROM \"demo\" WHERE \"title\" LIKE ? ESCAPE '\\' "
                + "ORDER BY \"created\" DESC, \"demo\".\"_rowid_\" ASC LIMIT ? OFFSET ?", List.of("%x%", 10L, 20L)));
        assertThat(plan.count()).contains(new Sql("SELECT COUNT(DISTINCT \"demo\".\"_rowid_\") FROM \"demo\" WHERE "
                + "\"title\" LIKE ? ESCAPE '\\'", List.of("%x%")));
    }

    @Test
    void normalisesPagingAndSkipsTheTotal() {
        SearchProvider.SearchPlan plan = SearchProvider.of(resolver, SelectQuery.from("demo"))
                .parse(Map.of("page", "-1", "perPage", "5000", "skipTotal", "1")).build();
        assertThat(plan.page()).isEqualTo(1);
        assertThat(plan.perPage()).isEqualTo(1000);
        assertThat(plan.count()).isEmpty();
        assertThat(plan.items().params()).containsExactly(1000L, 0L);
        assertThat(SearchProvider.of(resolver, SelectQuery.from("demo")).perPage(0).build().perPage()).isEqualTo(30);
    }

    @Test
    void resolverJoinsAndWheresAreApplied() {
        FieldResolver joining = new FieldResolver() {
            @Override
            public ResolverResult resolve(String field) {
                return ResolverResult.raw(Sql.quoteColumn("r." + field));
            }

            @Override
            public void updateQuery(SelectQuery query) {
                query.distinct(true).leftJoin(Join.table("rel", "r", Sql.raw("\"r\".\"id\" = \"demo\".\"rel\"")))
                        .andWhere(Sql.param("extra"));
            }
        };
        SearchProvider.SearchPlan plan = SearchProvider.of(joining, SelectQuery.from("demo").andWhere(Sql.param("rule")))
                .addFilter("name = 'n'").addSort(new SortField("name", SortField.Direction.ASC)).build();
        assertThat(plan.items()).isEqualTo(new Sql("SELECT DISTINCT * FROM \"demo\" LEFT JOIN \"rel\" \"r\" ON "
                + "\"r\".\"id\" = \"demo\".\"rel\" WHERE (?) AND (\"r\".\"name\" = ?) AND (?) ORDER BY \"r\".\"name\" ASC "
                + "LIMIT ? OFFSET ?", List.of("rule", "n", "extra", 30L, 0L)));
        assertThat(plan.count().map(Sql::text)).isEqualTo(Optional.of("SELECT COUNT(DISTINCT \"demo\".\"id\") FROM \"demo\" "
                + "LEFT JOIN \"rel\" \"r\" ON \"r\".\"id\" = \"demo\".\"rel\" WHERE (?) AND (\"r\".\"name\" = ?) AND (?)"));
    }

    @Test
    void malformedParams() {
        assertThatThrownBy(() -> SearchProvider.of(resolver, SelectQuery.from("demo")).parse(Map.of("page", "x")))
                .hasMessage("strconv.Atoi: parsing \"x\": invalid syntax");
        assertThatThrownBy(() -> SearchProvider.of(resolver, SelectQuery.from("demo")).parse(Map.of("skipTotal", "yes")))
                .hasMessage("strconv.ParseBool: parsing \"yes\": invalid syntax");
        assertThatThrownBy(() -> SearchProvider.of(resolver, SelectQuery.from("demo"))
                .parse(Map.of("filter", "a=1" + " ".repeat(3500))).build()).hasMessage("max filter length limit reached");
    }

    @Test
    void identifiersCannotBreakTheirQuotes() {
        assertThatThrownBy(() -> Sql.quoteName("a\"b")).isInstanceOf(FilterException.class);
        assertThatThrownBy(() -> SelectQuery.from("x; DROP TABLE y")).isInstanceOf(FilterException.class);
        assertThatThrownBy(() -> new SearchProvider.SearchPlan(Sql.raw(""), null, 1, 1)).isInstanceOf(NullPointerException.class);
    }
}
