/* SQL files compiled into the binary by cmake/embed_sql.cmake. */
#ifndef POLIS_EMBEDDED_SQL_H
#define POLIS_EMBEDDED_SQL_H

struct embedded_sql {
    const char *name; /* file name, e.g. "001_core.sql"; NULL ends the array */
    const char *text;
};

/* the numbered files in sql, sorted by name */
extern const struct embedded_sql polis_migrations[];
extern const int polis_migrations_count;
/* the files in sql/demo, sorted by name */
extern const struct embedded_sql polis_demo_sql[];
extern const int polis_demo_sql_count;

#endif
