/* SQL fragments of text search (sql/015_pois.sql): a query folded with
 * polis_search_norm, compared with keys folded by polis_search_fold, so
 * case, accents and Greek/Latin spelling do not matter. Scalar subqueries,
 * so that PostgreSQL computes each once per statement (an InitPlan) even in
 * a generic plan, and can use it as the condition of a trigram index. */
#ifndef POLIS_SEARCH_SQL_H
#define POLIS_SEARCH_SQL_H

/* The folded query q (a parameter such as "$1"). */
#define SEARCH_FOLDED(q) "(SELECT polis_search_norm(" q "::text))"

/* The same, escaped for LIKE ('\', '%' and '_' match themselves). */
#define SEARCH_LIKE_ESCAPED(q)                                                               \
    "(SELECT replace(replace(replace(polis_search_norm(" q "::text), '\\', '\\\\'), '%',"   \
    " '\\%'), '_', '\\_'))"

#endif
